using System.CommandLine;
using Inpaint.Trainer;

namespace Inpaint.Exporter.Cli;

/// <summary>
/// <c>inpaint-export CHECKPOINT -o models/NAME.onnx</c>. Exit codes: 0 success, 1 bad input or failed
/// verification (nothing written), 2 usage, 3 internal error.
/// </summary>
public static class ExporterCli
{
    /// <summary>Parses and runs; never throws.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Argument<string?>("checkpoint") { Description = "A run folder (its best checkpoint, else the latest) or a model.safetensors", Arity = ArgumentArity.ZeroOrOne };
        var arch = new Option<string?>("--arch") { Description = "Export an untrained free-form architecture instead of a checkpoint: 'prefill' is the classical pre-fill alone (no weights)" };
        var output = new Option<string>("--output", "-o") { Description = "The .onnx file to write", Required = true };
        var fp16 = new Option<bool>("--fp16-weights") { Description = "Store weights as float16 (half the file; cast to float32 when loaded)" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the comparison with TorchSharp (on by default)" };
        var tolerance = new Option<double?>("--tolerance") { Description = "Largest accepted |ONNX - TorchSharp| on generated pixels, 0..255 scale (default 0.01, fp16 0.5)" };
        var verifyImages = new Option<string?>("--verify-images") { Description = "A folder of photos to verify on (the checkpoint's data folder is used when present)" };
        var card = new Option<bool>("--model-card") { Description = "Also write NAME.md next to the model" };
        var triton = new Option<string?>("--triton-repo") { Description = "Also write a Triton Inference Server model repository here (DIR/NAME/1/model.onnx, DIR/NAME/config.pbtxt)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show details" };
        var bench = new Option<bool>("--bench") { Description = "After exporting, time TorchSharp eager against ONNX Runtime on the same weights (batches 1 and 8)" };
        var benchThreads = new Option<int>("--bench-threads") { Description = "Threads for both engines in --bench (0: their defaults)", DefaultValueFactory = _ => 2 };
        var root = new RootCommand("Exports an Inpaint checkpoint to a standalone ONNX model (contract inpaint/1), verified against TorchSharp")
        {
            checkpoint, arch, output, fp16, noVerify, tolerance, verifyImages, card, triton, verbose, bench, benchThreads,
        };
        root.SetAction(p =>
        {
            string? source = p.GetValue(checkpoint), architecture = p.GetValue(arch);
            if ((source is null) == (architecture is null))
                throw new UserInputException("give either a checkpoint (a run folder or a model.safetensors) or --arch NAME, not both");
            var report = OnnxExporter.Export(new ExportRequest
            {
                Checkpoint = source ?? architecture!, FromArchitecture = architecture is not null, Output = p.GetValue(output)!, HalfPrecisionWeights = p.GetValue(fp16),
                Verify = !p.GetValue(noVerify), Tolerance = p.GetValue(tolerance), VerifyImages = p.GetValue(verifyImages),
                ModelCard = p.GetValue(card), TritonRepository = p.GetValue(triton),
            }, stdout.WriteLine);
            stdout.WriteLine($"wrote {report.Output}: {report.Bytes / 1e6:F2} MB, {report.Nodes} nodes " +
                             $"(ONNX Runtime optimised: {string.Join(", ", report.OptimisedNodes.Select(kv => $"{kv.Key} {kv.Value}"))}), " +
                             $"export {report.ExportSeconds:F2} s, verify {report.VerifySeconds:F2} s");
            if (report.Verification.Count > 0)
                stdout.WriteLine($"verified: max |onnx - torch| {report.Verification.Max(v => v.MaxGeneratedDifference):G4} <= {report.Tolerance} on generated pixels; known pixels identical");
            if (report.ModelCard is not null) stdout.WriteLine($"model card: {report.ModelCard}");
            if (report.TritonConfig is not null) stdout.WriteLine($"triton config: {report.TritonConfig}");
            if (p.GetValue(bench) && architecture is not null) stdout.WriteLine("--bench compares a checkpoint's weights; skipped for --arch");
            else if (p.GetValue(bench))
            {
                var (generator, _) = Inpaint.Trainer.Checkpoints.GeneratorCheckpoint.LoadAny(report.Checkpoint);
                byte[] onnx = File.ReadAllBytes(report.Output);
                using (generator)
                    foreach (var r in generator is Inpaint.Trainer.Models.FreeformGenerator freeform
                                 ? Verification.SpeedComparison.Measure(onnx, freeform, [1, 8], 5, p.GetValue(benchThreads))
                                 : Verification.SpeedComparison.Measure(onnx, (Inpaint.Trainer.Models.InpaintGenerator)generator, [1, 8], 5, p.GetValue(benchThreads)))
                        stdout.WriteLine($"bench batch {r.Batch}: TorchSharp eager {r.TorchMsPerImage:F2} ms/image, ONNX Runtime {r.OnnxMsPerImage:F2} ms/image, ratio {r.TorchMsPerImage / r.OnnxMsPerImage:F2}x");
            }
            return 0;
        });

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("run 'inpaint-export --help' for usage");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UserInputException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            if (parsed.GetValue(verbose)) stderr.WriteLine(e);
            return 3;
        }
    }
}
