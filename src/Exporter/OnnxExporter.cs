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

/// <summary>Checkpoint to "inpaint/1" ONNX model: build, validate, verify, then write atomically.</summary>
public static class OnnxExporter
{
    /// <summary>Runs an export. Nothing is written under the output name unless every check passes.</summary>
    /// <exception cref="UserError">Bad checkpoint, unwritable output or failed verification.</exception>
    public static ExportReport Export(ExportRequest request, Action<string>? log = null)
    {
        log ??= _ => { };
        bool fromOnnx = !request.FromArchitecture && request.Checkpoint.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        string checkpoint = request.FromArchitecture ? request.Checkpoint
            : fromOnnx ? (File.Exists(request.Checkpoint) ? Path.GetFullPath(request.Checkpoint) : throw new UserError($"model '{request.Checkpoint}' does not exist"))
            : CheckpointLocator.Resolve(request.Checkpoint);
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
            if (spec.Family != ModelFamily.Freeform) throw new UserError($"'{spec.Architecture}' is of the center family: only freeform architectures are useful untrained (their residual starts at zero)");
            TorchSharp.torch.manual_seed(1);
            var untrained = Generators.CreateInitialised(spec);
            const string UntrainedFacts = "{\"trainer\":\"none\",\"steps\":0,\"note\":\"untrained: the residual is zero, so the model is its pre-fill\"}";
            using (untrained)
                return Export(request, $"architecture {spec.Architecture}", output, untrained, CheckpointWeights.From(untrained, spec, UntrainedFacts), timer, log);
        }
        try
        {
            (generator, facts) = fromOnnx ? OnnxWeights.Load(checkpoint) : GeneratorCheckpoint.LoadAny(checkpoint);
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
        ModelProto model = BuildGraph(weights, request, checkpoint, output);
        byte[] bytes = model.ToByteArray();
        double buildSeconds = timer.Elapsed.TotalSeconds;

        double tolerance = request.Tolerance ?? (request.HalfPrecisionWeights ? 0.5 : 0.01);
        var verifyTimer = Stopwatch.StartNew();
        IReadOnlyList<VerificationResult> results = request.Verify ? ExportVerification.Run(bytes, generator, weights, request.VerifyImages, tolerance, log) : [];
        double verifySeconds = verifyTimer.Elapsed.TotalSeconds;

        timer.Restart();
        AtomicFile.Write(output, s => s.Write(bytes));
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

    private static ModelProto BuildGraph(CheckpointWeights weights, ExportRequest request, string checkpoint, string output)
    {
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
        return model;
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
