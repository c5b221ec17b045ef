using System.CommandLine;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli;

/// <summary>The <c>inpaint</c> command: repair, detect, damage, info, eval, eval-detector, bench.</summary>
public static class InpaintCli
{
    private static readonly CommandRunner Runner = new("inpaint", "Show provider, regions, windows and timings; stack traces on internal errors");

    /// <summary>Shared by every subcommand.</summary>
    internal static Option<bool> Verbose => Runner.Verbose;

    /// <summary>
    /// Test seam: when set, thrown where a command would run, so tests can check how an unexpected exception is
    /// reported (exit 3, one line, details with --verbose). Never set outside tests.
    /// </summary>
    internal static Exception? InjectedFault { get; set; }

    /// <summary>Parses and runs; never throws. <paramref name="cancellation"/> is Ctrl-C or SIGTERM: exit 130.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        var root = new RootCommand("Repairs damaged photos (scratches, text, holes, unwanted objects) with an Inpaint ONNX model.");
        root.Subcommands.Add(RepairCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(DetectCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(DamageCommand.Build(stdout));
        root.Subcommands.Add(Evaluation.DetectorEvalCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(InfoCommand.Build(stdout));
        root.Subcommands.Add(Evaluation.EvalCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(BenchCommand.Build(stdout));
        return Runner.Run(root, args, stdout, stderr, cancellation, () =>
        {
            if (InjectedFault is { } fault) throw fault;
        });
    }

    /// <summary>Loads the model with the device options; the verbose log goes to <paramref name="log"/>.</summary>
    internal static InpaintModel LoadModel(string? model, string device, int deviceId, int threads, int batch, Action<string>? log)
    {
        string path = ModelLocator.Resolve(model);
        return Open(device, () => InpaintModel.Load(path, new InpaintModelOptions
        {
            Provider = Provider(device), DeviceId = deviceId, IntraOpThreads = threads, BatchSize = batch, Log = log, VerboseRuntimeLog = false,
        }));
    }

    /// <summary>
    /// Loads a model the command's way: ONNX Runtime's environment quiet first, and in the CPU build a refused
    /// <c>--device cuda</c> says how to get the GPU one.
    /// </summary>
    private static T Open<T>(string device, Func<T> load)
    {
        QuietRuntime();
        try
        {
            return load();
        }
        catch (InvalidOperationException e) when (CpuBuild && Provider(device) == ExecutionProvider.Cuda)
        {
            throw new UserError($"{e.Message}. {CpuBuildAdvice}", e);
        }
    }

    /// <summary>Whether this build carries the CPU ONNX Runtime only (the `dotnet tool`).</summary>
#if CPU_RUNTIME
    internal const bool CpuBuild = true;
#else
    internal const bool CpuBuild = false;
#endif

    /// <summary>What a user of the CPU build does to run on a GPU.</summary>
    internal const string CpuBuildAdvice =
        "This inpaint is the CPU build (the dotnet tool Inpaint.Cli). For CUDA, run the command from a clone of the repository " +
        "(dotnet run --project src/OnnxInpaint.Cli -c Release -- ...), which carries Microsoft.ML.OnnxRuntime.Gpu, on a machine with CUDA 13 and cuDNN 9";

    /// <summary>
    /// The command owns its process: ONNX Runtime's environment logs fatal errors only (a CUDA provider that cannot load
    /// is reported by the command as the fallback reason, not as the runtime's own error lines).
    /// </summary>
    private static void QuietRuntime() => OnnxRuntimeEnvironment.TryConfigureLogging(Microsoft.ML.OnnxRuntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);

    /// <summary>Loads the damage detector with the device options (an inpainter given as the detector is refused, and said so).</summary>
    internal static DamageDetector LoadDetector(string? detector, string device, int deviceId, int threads, Action<string>? log)
    {
        string path = ModelLocator.ResolveDetector(detector);
        try
        {
            return Open(device, () => DamageDetector.Load(path, new InpaintModelOptions
            {
                Provider = Provider(device), DeviceId = deviceId, IntraOpThreads = threads, Log = log, VerboseRuntimeLog = false,
            }));
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"detector '{path}': {e.Message}", e);
        }
    }

    private static ExecutionProvider Provider(string device) => device.ToLowerInvariant() switch
    {
        "auto" => ExecutionProvider.Auto,
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        _ => throw new UserError($"unknown device '{device}' (auto, cpu or cuda)"),
    };
}
