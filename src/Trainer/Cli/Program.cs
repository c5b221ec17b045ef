using Inpaint.Trainer.Cli;

return TrainerCli.Run(args, Console.Out, Console.Error);
