using Microsoft.ML.OnnxRuntime;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// ONNX Runtime's process-wide environment, which an application configures, never the library behind its back: the
/// library's sessions log at their own level (<see cref="InpaintModelOptions.VerboseRuntimeLog"/>), but messages that
/// are not a session's (a CUDA provider that fails to load, for one) go through the environment's logger, whose level
/// only the first user of ONNX Runtime in the process can choose. The <c>inpaint</c> command and the server call
/// <see cref="TryConfigureLogging"/> at start-up; a host that uses ONNX Runtime elsewhere too leaves it to that code.
/// </summary>
public static class OnnxRuntimeEnvironment
{
    /// <summary>
    /// Creates the environment with log level <paramref name="level"/>, when nothing in the process has created it yet.
    /// </summary>
    /// <returns>True when this call created it; false when it existed already (its level is then left as it is).</returns>
    /// <exception cref="OnnxRuntimeNotFoundException">The application carries no native ONNX Runtime.</exception>
    public static bool TryConfigureLogging(OrtLoggingLevel level) => OnnxRuntimeNotFoundException.Guard(() =>
    {
        try
        {
            var environment = new EnvironmentCreationOptions { logId = "inpaint", logLevel = level };
            OrtEnv.CreateInstanceWithOptions(ref environment);
            return true;
        }
        catch (OnnxRuntimeException)
        {
            return false; // already created (by this library's first session or by another component)
        }
    });
}
