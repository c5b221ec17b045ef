using System.Runtime.InteropServices;
using Inpaint.Cli;

// Ctrl-C and SIGTERM cancel the run instead of killing the process, so an output being written is either finished
// or never appears (writes are atomic) and the command can say where it stopped; exit code 130.
using var cancel = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return InpaintCli.Run(args, Console.Out, Console.Error, cancel.Token);
