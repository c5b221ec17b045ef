using Inpaint.Exporter.Cli;

return ExporterCli.Run(args, Console.Out, Console.Error);
