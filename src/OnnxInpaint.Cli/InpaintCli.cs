using System.CommandLine;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli;

/// <summary>The <c>inpaint</c> command: repair, info, eval, bench.</summary>
public static class InpaintCli
{
    /// <summary>Shared by every subcommand.</summary>
    internal static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show provider, regions, windows and timings; stack traces on internal errors", Recursive = true };

    /// <summary>
    /// Test seam: when set, thrown where a command would run, so tests can check how an unexpected exception is
    /// reported (exit 3, one line, details with --verbose). Never set outside tests.
    /// </summary>
    internal static Exception? InjectedFault { get; set; }

    /// <summary>Parses and runs; never throws. <paramref name="cancellation"/> is Ctrl-C or SIGTERM: exit 130.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        var root = new RootCommand("Repairs damaged photos (scratches, text, holes, unwanted objects) with an Inpaint ONNX model.");
        root.Options.Add(Verbose);
        root.Subcommands.Add(RepairCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(InfoCommand.Build(stdout));
        root.Subcommands.Add(Evaluation.EvalCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(BenchCommand.Build(stdout));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line per problem, the pointer to the help on the same line.
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message} (see 'inpaint --help')");
            return ExitCodes.Usage;
        }
        try
        {
            if (InjectedFault is { } fault) throw fault;
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            stderr.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is UserError or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or UnauthorizedAccessException or NotSupportedException or InvalidOperationException or IOException)
        {
            stderr.WriteLine($"error: {e.Message}");
            if (parsed.GetValue(Verbose) && e.InnerException is not null) stderr.WriteLine($"  cause: {e.InnerException.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            if (parsed.GetValue(Verbose)) stderr.WriteLine(e);
            else stderr.WriteLine("run again with --verbose for details");
            return ExitCodes.Internal;
        }
    }

    /// <summary>Loads the model with the device options; the verbose log goes to <paramref name="log"/>.</summary>
    internal static InpaintModel LoadModel(string? model, string device, int deviceId, int threads, int batch, Action<string>? log)
    {
        var provider = device.ToLowerInvariant() switch
        {
            "auto" => ExecutionProvider.Auto,
            "cpu" => ExecutionProvider.Cpu,
            "cuda" => ExecutionProvider.Cuda,
            _ => throw new UserError($"unknown device '{device}' (auto, cpu or cuda)"),
        };
        return InpaintModel.Load(ModelLocator.Resolve(model), new InpaintModelOptions
        {
            Provider = provider, DeviceId = deviceId, IntraOpThreads = threads, BatchSize = batch, Log = log, VerboseRuntimeLog = false,
        });
    }
}
