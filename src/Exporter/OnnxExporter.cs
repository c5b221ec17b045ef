using System.Diagnostics;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Inpaint.Exporter.Onnx;
using Inpaint.Exporter.Verification;
using Inpaint.Hosting;
using Inpaint.Models.Checkpoints;
using Inpaint.Contract;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using Onnx;

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
    /// meant for <c>prefill</c>, the free-form family's classical fill with no weights.
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

/// <summary>Checkpoint to "inpaint/1" ONNX model: build, validate, verify, then write atomically.</summary>
public static class OnnxExporter
{
    /// <summary>Runs an export. Nothing is written under the output name unless every check passes.</summary>
    /// <exception cref="UserError">Bad checkpoint, unwritable output or failed verification.</exception>
    public static ExportReport Export(ExportRequest request, Action<string>? log = null)
    {
        log ??= _ => { };
        string checkpoint = request.FromArchitecture ? request.Checkpoint : CheckpointLocator.Resolve(request.Checkpoint);
        string output = Path.GetFullPath(request.Output);
        if (!output.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new UserError($"the output '{request.Output}' must end in .onnx");
        if (string.Equals(output, checkpoint, StringComparison.Ordinal))
            throw new UserError("the output would overwrite the checkpoint");
        string outDir = Path.GetDirectoryName(output)!;
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot create the output folder '{outDir}': {e.Message}");
        }

        var timer = Stopwatch.StartNew();
        TorchSharp.torch.nn.Module generator;
        string facts;
        if (request.FromArchitecture)
        {
            ModelSpec spec = Architectures.Resolve(request.Checkpoint);
            if (spec.Family != ModelFamily.Freeform) throw new UserError($"'{spec.Architecture}' is a context encoder: only free-form architectures are useful untrained (their residual starts at zero)");
            TorchSharp.torch.manual_seed(1);
            var untrained = Generators.CreateInitialised(spec);
            const string UntrainedFacts = "{\"trainer\":\"none\",\"steps\":0,\"note\":\"untrained: the residual is zero, so the model is its pre-fill\"}";
            using (untrained)
                return Export(request, $"architecture {spec.Architecture}", output, untrained, CheckpointWeights.From(untrained, spec, UntrainedFacts), timer, log);
        }
        try
        {
            (generator, facts) = GeneratorCheckpoint.LoadAny(checkpoint);
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"cannot export '{checkpoint}': {e.Message}");
        }
        using (generator)
            return Export(request, checkpoint, output, generator, CheckpointWeights.From(generator, CheckpointWeights.SpecOf(generator), facts), timer, log);
    }

    private static ExportReport Export(ExportRequest request, string checkpoint, string output, TorchSharp.torch.nn.Module generator,
        CheckpointWeights weights, Stopwatch timer, Action<string> log)
    {
        log($"checkpoint {checkpoint}: '{weights.Spec.Architecture}', {weights.Spec.ParameterCount:N0} parameters");
        ModelProto model;
        try
        {
            model = InpaintGraph.Build(weights, new InpaintGraph.Options(request.HalfPrecisionWeights, Path.GetFileNameWithoutExtension(output)));
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"cannot export '{checkpoint}': {e.Message}");
        }
        var problems = GraphValidator.Check(model);
        if (problems.Count > 0)
            throw new InvalidOperationException("the exported graph is malformed: " + string.Join("; ", problems));
        byte[] bytes = model.ToByteArray();
        double buildSeconds = timer.Elapsed.TotalSeconds;

        double tolerance = request.Tolerance ?? (request.HalfPrecisionWeights ? 0.5 : 0.01);
        IReadOnlyList<VerificationResult> results = [];
        double verifySeconds = 0;
        if (request.Verify)
        {
            var verifyTimer = Stopwatch.StartNew();
            results = generator is FreeformGenerator freeform
                ? RunFreeformVerification(bytes, freeform, weights, request.VerifyImages, log)
                : RunVerification(bytes, (CenterGenerator)generator, weights, request.VerifyImages, log);
            verifySeconds = verifyTimer.Elapsed.TotalSeconds;
            foreach (var r in results)
                log($"verify {r.Name}: max |onnx - torch| = {r.MaxGeneratedDifference:G4} on generated pixels; known pixels {(r.KnownPixelsIdentical ? "identical" : "CHANGED")}");
            var worst = results.MaxBy(r => r.MaxGeneratedDifference)!;
            if (worst.MaxGeneratedDifference > tolerance)
                throw new UserError($"verification failed: ONNX and TorchSharp differ by {worst.MaxGeneratedDifference:G4} (on {worst.Name}), above the tolerance {tolerance}; nothing was written");
            if (results.Any(r => !r.KnownPixelsIdentical))
                throw new UserError("verification failed: known pixels were changed by the exported graph; nothing was written");
        }

        timer.Restart();
        try
        {
            AtomicFile.Write(output, s => s.Write(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot write '{output}': {e.Message}");
        }
        double writeSeconds = timer.Elapsed.TotalSeconds;

        var report = new ExportReport
        {
            Checkpoint = checkpoint, Output = output, Architecture = weights.Spec.Architecture, Parameters = weights.Spec.ParameterCount,
            Bytes = bytes.Length, Nodes = model.Graph.Node.Count, Verification = results, Tolerance = tolerance,
            ExportSeconds = buildSeconds + writeSeconds, VerifySeconds = verifySeconds,
            OptimisedNodes = request.ReportOptimisation ? OptimisedNodeCounts(bytes) : new Dictionary<string, int>(),
        };
        if (request.ModelCard)
        {
            string card = Path.ChangeExtension(output, ".md");
            AtomicFile.WriteAllText(card, ModelCard.Render(report, weights, request.HalfPrecisionWeights));
            report = report with { ModelCard = card };
        }
        if (request.TritonRepository is not null)
            report = report with { TritonConfig = TritonRepository.Write(request.TritonRepository, Path.GetFileNameWithoutExtension(output), bytes, weights.Spec) };
        return report;
    }

    private static IReadOnlyList<VerificationResult> RunVerification(byte[] bytes, CenterGenerator generator, CheckpointWeights weights, string? extraImages, Action<string> log)
    {
        int s = weights.Spec.ImageSize, p = weights.Spec.Hole.Size;
        var batches = VerificationInputs.Synthetic(s, p).ToList();
        foreach (string? folder in new[] { extraImages, DataFolderOf(weights.TrainingFacts) })
        {
            if (folder is null) continue;
            if (VerificationInputs.Photos(folder, s, p) is { } photos)
            {
                batches.Add(photos with { Name = $"{photos.Name} from {folder}" });
                break;
            }
            log($"verify: no readable photos in '{folder}'");
        }
        return OnnxVerifier.Verify(bytes, generator, batches);
    }

    private static IReadOnlyList<VerificationResult> RunFreeformVerification(byte[] bytes, FreeformGenerator generator, CheckpointWeights weights, string? extraImages, Action<string> log)
    {
        var batches = FreeformVerification.Synthetic().ToList();
        foreach (string? folder in new[] { extraImages, DataFolderOf(weights.TrainingFacts) })
        {
            if (folder is null) continue;
            if (VerificationInputs.Photos(folder, weights.Spec.ImageSize, 1) is { } photos)
            {
                batches.Add(FreeformVerification.Photos(photos with { Name = $"{photos.Name} from {folder}" }));
                break;
            }
            log($"verify: no readable photos in '{folder}'");
        }
        return FreeformVerification.Verify(bytes, generator, batches);
    }

    private static string? DataFolderOf(string factsJson)
    {
        try
        {
            return JsonNode.Parse(factsJson)?["data"]?["folder"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Node counts after ONNX Runtime optimises the graph at each level (CPU provider).</summary>
    public static IReadOnlyDictionary<string, int> OptimisedNodeCounts(byte[] model)
    {
        var counts = new Dictionary<string, int>();
        foreach (var (name, level) in new[] { ("basic", GraphOptimizationLevel.ORT_ENABLE_BASIC), ("extended", GraphOptimizationLevel.ORT_ENABLE_EXTENDED), ("all", GraphOptimizationLevel.ORT_ENABLE_ALL) })
        {
            string path = Path.Combine(Path.GetTempPath(), $"inpaint-optimised-{Environment.ProcessId}-{name}.onnx");
            try
            {
                using (var options = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = path, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
                using (new InferenceSession(model, options)) { }
                counts[name] = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Count;
            }
            finally
            {
                File.Delete(path);
            }
        }
        return counts;
    }
}
