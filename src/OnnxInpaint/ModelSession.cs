using Microsoft.ML.OnnxRuntime;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// Opens an ONNX Runtime session for any of the project's models (inpainters and detectors) the same way: the execution
/// provider chosen from <see cref="InpaintModelOptions.Provider"/>, with CUDA falling back to the CPU (and the reason
/// kept) where <see cref="ExecutionProvider.Auto"/> allows it, and the session's log at the options' level (the
/// process-wide environment is the application's: <see cref="OnnxRuntimeEnvironment"/>).
/// </summary>
internal static class ModelSession
{
    private const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>The session (owned by the caller with its options), the provider that runs it, and why not CUDA when it fell back.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the bytes.</exception>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot be used.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">The application carries no native ONNX Runtime.</exception>
    public static (InferenceSession Session, SessionOptions Options, ExecutionProvider Provider, string? FallbackReason) Open(byte[] model, InpaintModelOptions options) =>
        OnnxRuntimeNotFoundException.Guard(() => OpenSession(model, options));

    /// <summary>The execution providers compiled into the loaded native ONNX Runtime (available is not usable).</summary>
    /// <exception cref="OnnxRuntimeNotFoundException">The application carries no native ONNX Runtime.</exception>
    public static IReadOnlyList<string> AvailableProviders() => OnnxRuntimeNotFoundException.Guard(() => OrtEnv.Instance().GetAvailableProviders());

    private static (InferenceSession Session, SessionOptions Options, ExecutionProvider Provider, string? FallbackReason) OpenSession(byte[] model, InpaintModelOptions options)
    {
        InferenceSession session;
        (SessionOptions sessionOptions, ExecutionProvider active, string? fallback) = CreateSessionOptions(options);
        try
        {
            session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e) when (active == ExecutionProvider.Cuda)
        {
            // The CUDA provider registered but the session could not start on it (no device, driver mismatch...).
            sessionOptions.Dispose();
            if (options.Provider == ExecutionProvider.Cuda)
                throw new InvalidOperationException($"CUDA was requested but the model cannot run on it: {FirstLine(e.Message)}", e);
            fallback = $"CUDA could not run the model: {FirstLine(e.Message)}";
            active = ExecutionProvider.Cpu;
            sessionOptions = CreateSessionOptions(new InpaintModelOptions
            {
                Provider = ExecutionProvider.Cpu, IntraOpThreads = options.IntraOpThreads, OptimizationLevel = options.OptimizationLevel,
                MemoryPattern = options.MemoryPattern, Spinning = options.Spinning, VerboseRuntimeLog = options.VerboseRuntimeLog,
                CpuMemoryArena = options.CpuMemoryArena,
            }).Options;
            session = CreateSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            sessionOptions.Dispose();
            throw new InvalidDataException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }
        return (session, sessionOptions, active, fallback);
    }

    private static InferenceSession CreateSession(byte[] model, SessionOptions options)
    {
        try
        {
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new InvalidDataException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    private static (SessionOptions Options, ExecutionProvider Provider, string? Reason) CreateSessionOptions(InpaintModelOptions options)
    {
        SessionOptions Cpu()
        {
            var o = new SessionOptions
            {
                GraphOptimizationLevel = options.OptimizationLevel,
                LogSeverityLevel = options.VerboseRuntimeLog ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            if (options.IntraOpThreads > 0) o.IntraOpNumThreads = options.IntraOpThreads;
            o.EnableMemoryPattern = options.MemoryPattern;
            o.EnableCpuMemArena = options.CpuMemoryArena;
            if (!options.Spinning) o.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            return o;
        }

        if (options.Provider == ExecutionProvider.Cpu) return (Cpu(), ExecutionProvider.Cpu, null);

        bool compiledIn = AvailableProviders().Contains(CudaProvider);
        if (!compiledIn)
        {
            string reason = "the loaded ONNX Runtime has no CUDA provider (applications reference Microsoft.ML.OnnxRuntime.Gpu for it)";
            if (options.Provider == ExecutionProvider.Cuda) throw new InvalidOperationException($"CUDA was requested but {reason}");
            return (Cpu(), ExecutionProvider.Cpu, reason);
        }
        SessionOptions cuda = Cpu();
        try
        {
            cuda.AppendExecutionProvider_CUDA(options.DeviceId);
            return (cuda, ExecutionProvider.Cuda, null);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            cuda.Dispose();
            // "Available" only means compiled in: the CUDA libraries or a GPU may still be missing.
            string reason = $"CUDA could not be used: {FirstLine(e.Message)}";
            if (options.Provider == ExecutionProvider.Cuda) throw new InvalidOperationException($"CUDA was requested but cannot be used on this machine: {FirstLine(e.Message)}", e);
            return (Cpu(), ExecutionProvider.Cpu, reason);
        }
    }

    internal static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim();
    }
}
