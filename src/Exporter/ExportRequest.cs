using Inpaint.Exporter.Verification;

namespace Inpaint.Exporter;

/// <summary>What to export and how.</summary>
public sealed record ExportRequest
{
    /// <summary>A model.safetensors or a run folder (its best checkpoint, else the latest).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The .onnx file to write.</summary>
    public required string Output { get; init; }

    /// <summary>Store weights as float16.</summary>
    public bool HalfPrecisionWeights { get; init; }

    /// <summary>Compare ONNX Runtime with TorchSharp before writing.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Largest accepted |ONNX - TorchSharp| on generated pixels (0..255); null: 0.01 for fp32, 0.5 for fp16.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Extra folder of photos for verification (the checkpoint's data folder is used when it exists).</summary>
    public string? VerifyImages { get; init; }

    /// <summary>Also write NAME.md next to the model.</summary>
    public bool ModelCard { get; init; }

    /// <summary>Also write a Triton model repository here.</summary>
    public string? TritonRepository { get; init; }

    /// <summary>Count nodes after ONNX Runtime's graph optimisations (for the report).</summary>
    public bool ReportOptimisation { get; init; } = true;

    /// <summary>
    /// Export an untrained named architecture instead of a checkpoint (<see cref="Checkpoint"/> is then the name):
    /// meant for <c>prefill</c>, the freeform family's classical fill with no weights.
    /// </summary>
    public bool FromArchitecture { get; init; }
}

/// <summary>What an export did.</summary>
public sealed record ExportReport
{
    /// <summary>The checkpoint exported.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The model written.</summary>
    public required string Output { get; init; }

    /// <summary>Architecture name.</summary>
    public required string Architecture { get; init; }

    /// <summary>Generator parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>File size in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>Nodes in the exported graph.</summary>
    public int Nodes { get; init; }

    /// <summary>Nodes after ONNX Runtime's basic, extended and all optimisation levels (CPU).</summary>
    public IReadOnlyDictionary<string, int> OptimisedNodes { get; init; } = new Dictionary<string, int>();

    /// <summary>Verification results (empty when skipped).</summary>
    public IReadOnlyList<VerificationResult> Verification { get; init; } = [];

    /// <summary>The tolerance applied.</summary>
    public double Tolerance { get; init; }

    /// <summary>Seconds to build and write (verification excluded).</summary>
    public double ExportSeconds { get; init; }

    /// <summary>Seconds spent verifying.</summary>
    public double VerifySeconds { get; init; }

    /// <summary>Model card path, if written.</summary>
    public string? ModelCard { get; init; }

    /// <summary>Triton config path, if written.</summary>
    public string? TritonConfig { get; init; }
}
