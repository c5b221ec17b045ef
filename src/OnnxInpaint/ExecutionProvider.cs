namespace Inpaint.OnnxInpaint;

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when the native library offers it and it loads, else the CPU (the reason is reported).</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>CUDA, with no fallback: fails with a clear error where no usable GPU is present.</summary>
    Cuda,
}
