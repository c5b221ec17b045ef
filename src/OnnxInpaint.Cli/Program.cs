using Inpaint.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return InpaintCli.Run(args, Console.Out, Console.Error, cancel.Token);
