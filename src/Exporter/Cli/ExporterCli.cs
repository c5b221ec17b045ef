using System.CommandLine;
using Inpaint.Exporter.Verification;
using Inpaint.Models;
using Inpaint.Models.Checkpoints;

namespace Inpaint.Exporter.Cli;

/// <summary>
/// <c>inpaint-export CHECKPOINT -o models/NAME.onnx</c>. Exit codes are <see cref="ExitCodes"/>': 1 also for a failed
/// verification (then nothing is written).
/// </summary>
public static class ExporterCli
{
    private static readonly CommandRunner Runner = new("inpaint-export", "Show details (stack traces on internal errors)");

    private static readonly Argument<string?> CheckpointArgument = new("checkpoint")
    {
        Description = "A run folder (its best checkpoint, else the latest), a model.safetensors, or a freeform .onnx model to re-export with this exporter", Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> ArchitectureOption = new("--arch")
    {
        Description = "Export an untrained freeform architecture instead of a checkpoint: 'prefill' is the classical pre-fill alone (no weights)",
    };

    private static readonly Option<string> OutputOption = new("--output", "-o") { Description = "The .onnx file to write", Required = true };
    private static readonly Option<bool> HalfOption = new("--fp16-weights") { Description = "Store weights as float16 (half the file; cast to float32 when loaded)" };
    private static readonly Option<bool> NoVerifyOption = new("--no-verify") { Description = "Skip the comparison with TorchSharp (on by default)" };
    private static readonly Option<double?> ToleranceOption = new("--tolerance") { Description = "Largest accepted |ONNX - TorchSharp| on generated pixels, 0..255 scale (default 0.01, fp16 0.5)" };
    private static readonly Option<string?> VerifyImagesOption = new("--verify-images") { Description = "A folder of photos to verify on (the checkpoint's data folder is used when present)" };
    private static readonly Option<bool> CardOption = new("--model-card") { Description = "Also write NAME.md next to the model" };
    private static readonly Option<string?> TritonOption = new("--triton-repo") { Description = "Also write a Triton Inference Server model repository here (DIR/NAME/1/model.onnx, DIR/NAME/config.pbtxt)" };
    private static readonly Option<bool> BenchOption = new("--bench") { Description = "After exporting, time TorchSharp eager against ONNX Runtime on the same weights (batches 1 and 8)" };
    private static readonly Option<int> BenchThreadsOption = new("--bench-threads") { Description = "Threads for both engines in --bench (0: their defaults)", DefaultValueFactory = _ => 2 };

    /// <summary>Parses and runs; never throws.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Exports an Inpaint checkpoint to a standalone ONNX model (contract inpaint/1), verified against TorchSharp")
        {
            CheckpointArgument, ArchitectureOption, OutputOption, HalfOption, NoVerifyOption, ToleranceOption, VerifyImagesOption, CardOption,
            TritonOption, BenchOption, BenchThreadsOption,
        };
        root.SetAction(p => Export(p, stdout));
        return Runner.Run(root, args, stdout, stderr);
    }

    private static int Export(ParseResult p, TextWriter stdout)
    {
        string? source = p.GetValue(CheckpointArgument), architecture = p.GetValue(ArchitectureOption);
        if ((source is null) == (architecture is null))
            throw new UserError("give either a checkpoint (a run folder or a model.safetensors) or --arch NAME, not both");
        var report = OnnxExporter.Export(new ExportRequest
        {
            Checkpoint = source ?? architecture!, FromArchitecture = architecture is not null, Output = p.GetValue(OutputOption)!,
            HalfPrecisionWeights = p.GetValue(HalfOption), Verify = !p.GetValue(NoVerifyOption), Tolerance = p.GetValue(ToleranceOption),
            VerifyImages = p.GetValue(VerifyImagesOption), ModelCard = p.GetValue(CardOption), TritonRepository = p.GetValue(TritonOption),
        }, stdout.WriteLine);
        WriteReport(report, stdout);
        if (p.GetValue(BenchOption) && architecture is not null) stdout.WriteLine("--bench compares a checkpoint's weights; skipped for --arch");
        else if (p.GetValue(BenchOption)) Bench(report, p.GetValue(BenchThreadsOption), stdout);
        return ExitCodes.Ok;
    }

    private static void WriteReport(ExportReport report, TextWriter stdout)
    {
        stdout.WriteLine($"wrote {report.Output}: {report.Bytes / 1e6:F2} MB, {report.Nodes} nodes " +
                         $"(ONNX Runtime optimised: {string.Join(", ", report.OptimisedNodes.Select(kv => $"{kv.Key} {kv.Value}"))}), " +
                         $"export {report.ExportSeconds:F2} s, verify {report.VerifySeconds:F2} s");
        if (report.Verification.Count > 0)
            stdout.WriteLine($"verified: max |onnx - torch| {report.Verification.Max(v => v.MaxGeneratedDifference):G4} <= {report.Tolerance} on generated pixels; known pixels identical");
        if (report.ModelCard is not null) stdout.WriteLine($"model card: {report.ModelCard}");
        if (report.TritonConfig is not null) stdout.WriteLine($"triton config: {report.TritonConfig}");
    }

    private static void Bench(ExportReport report, int threads, TextWriter stdout)
    {
        var (generator, _) = GeneratorCheckpoint.LoadAny(report.Checkpoint);
        byte[] onnx = File.ReadAllBytes(report.Output);
        using (generator)
            foreach (var r in generator is FreeformGenerator freeform
                         ? SpeedComparison.Measure(onnx, freeform, [1, 8], 5, threads)
                         : SpeedComparison.Measure(onnx, (CenterGenerator)generator, [1, 8], 5, threads))
                stdout.WriteLine($"bench batch {r.Batch}: TorchSharp eager {r.TorchMsPerImage:F2} ms/image, ONNX Runtime {r.OnnxMsPerImage:F2} ms/image, ratio {r.TorchMsPerImage / r.OnnxMsPerImage:F2}x");
    }
}
