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

    /// <summary>Let ONNX Runtime print its own warnings (off: only errors reach stderr).</summary>
    public bool VerboseRuntimeLog { get; set; }

    /// <summary>Most windows per inference call when repairing photos.</summary>
    public int BatchSize { get; set; } = RepairSettings.Batch.Default;

    /// <summary>Receives diagnostic lines (provider choice, fallback reasons); null: none.</summary>
    public Action<string>? Log { get; set; }
}
