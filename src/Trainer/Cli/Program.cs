using Inpaint.Trainer.Cli;

// Before libtorch loads: its threads wait passively unless OMP_WAIT_POLICY says otherwise (see TorchWaitPolicy).
TorchWaitPolicy.Apply();
return TrainerCli.Run(args, Console.Out, Console.Error);
