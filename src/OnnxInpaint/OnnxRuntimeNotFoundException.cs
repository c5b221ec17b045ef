namespace Inpaint.OnnxInpaint;

/// <summary>
/// The application carries no native ONNX Runtime. The library references only the managed part
/// (<c>Microsoft.ML.OnnxRuntime.Managed</c>) so that the application chooses the native one: it adds
/// <c>Microsoft.ML.OnnxRuntime</c> (CPU) or <c>Microsoft.ML.OnnxRuntime.Gpu</c> (CUDA, falling back to the CPU).
/// </summary>
public sealed class OnnxRuntimeNotFoundException : InvalidOperationException
{
    /// <summary>The message, with what to add to the application.</summary>
    public const string Advice =
        "the native ONNX Runtime library (onnxruntime) was not found: add the package Microsoft.ML.OnnxRuntime (CPU) or " +
        "Microsoft.ML.OnnxRuntime.Gpu (CUDA, with CPU fallback) to the application, in the same version as Microsoft.ML.OnnxRuntime.Managed";

    /// <summary>Wraps the loader's failure.</summary>
    public OnnxRuntimeNotFoundException(Exception inner) : base(Advice, inner)
    {
    }

    /// <summary>Runs <paramref name="call"/> (the first touch of the native runtime), turning a missing library into this exception.</summary>
    internal static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (IsCause(e))
        {
            throw new OnnxRuntimeNotFoundException(e);
        }
    }

    /// <summary>
    /// Whether <paramref name="e"/> is the runtime's failure to find its native library: a <see cref="DllNotFoundException"/>,
    /// directly or as the cause of the type initialiser that loads it.
    /// </summary>
    private static bool IsCause(Exception e) => e switch
    {
        DllNotFoundException => true,
        TypeInitializationException { InnerException: { } inner } => IsCause(inner),
        _ => false,
    };
}
