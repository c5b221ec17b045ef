using Microsoft.ML.OnnxRuntime;

namespace Inpaint.OnnxInpaint;

/// <summary>How an <see cref="InpaintModel"/> creates its ONNX Runtime session.</summary>
public sealed class InpaintModelOptions
{
    /// <summary>Execution provider; <see cref="ExecutionProvider.Auto"/> by default.</summary>
    public ExecutionProvider Provider { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    public int DeviceId { get; set; }

    /// <summary>Threads for one operator (0: ONNX Runtime's default, the physical cores).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Graph optimisation level (all, by default).</summary>
    public GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Let ONNX Runtime plan one memory block per input shape from the first run (off by default: the repair's tiles
    /// change size between photos, and on this project's 2-core benchmark machine the plan cost memory without
    /// paying: batch 8 of 256x256 on the freeform model used about 160 MiB less and ran 8-15 % faster without it;
    /// see bench/RESULTS.md).
    /// </summary>
    public bool MemoryPattern { get; set; }

    /// <summary>
    /// Let ONNX Runtime's operator threads spin while waiting for work (on by default: lowest latency for one
    /// caller). A server whose repair threads share the cores with the model turns it off so that idle model threads
    /// do not take CPU from decoding and planning.
    /// </summary>
    public bool Spinning { get; set; } = true;

    /// <summary>
    /// Let ONNX Runtime keep freed CPU buffers in its arena for reuse (on by default, ONNX Runtime's own default: the
    /// fastest for one process repairing photos one after another). Off, buffers go back to the allocator after each
    /// call, so a host's memory follows its load instead of staying at its peak (bench/RESULTS.md measures it).
    /// </summary>
    public bool CpuMemoryArena { get; set; } = true;

    /// <summary>
    /// Let this model's session print ONNX Runtime's warnings (off: only fatal errors). Messages that are not the
    /// session's go through the process-wide environment, which the application configures (<see cref="OnnxRuntimeEnvironment"/>).
    /// </summary>
    public bool VerboseRuntimeLog { get; set; }

    /// <summary>Most windows per inference call when repairing photos.</summary>
    public int BatchSize { get; set; } = RepairSettings.Batch.Default;

    /// <summary>Receives diagnostic lines (provider choice, fallback reasons); null: none.</summary>
    public Action<string>? Log { get; set; }
}
