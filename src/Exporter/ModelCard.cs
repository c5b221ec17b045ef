using Inpaint.Contract;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Inpaint.Exporter.Onnx;

namespace Inpaint.Exporter;

/// <summary>Renders models/NAME.md from the checkpoint's facts and the export report.</summary>
public static class ModelCard
{
    /// <summary>The card as Markdown.</summary>
    public static string Render(ExportReport report, CheckpointWeights weights, bool halfPrecision)
    {
        var spec = weights.Spec;
        JsonNode? facts = null;
        try { facts = JsonNode.Parse(PublishedFacts.Of(weights.TrainingFacts)); } catch (System.Text.Json.JsonException) { }
        string F(string path)
        {
            JsonNode? node = facts;
            foreach (string part in path.Split('.')) node = node?[part];
            return node?.ToJsonString().Trim('"') ?? "n/a";
        }
        // Strokes were validated as "freeform" before that became the family's word.
        string Strokes(string field) => F($"validation.strokes.{field}") is "n/a" ? F($"validation.freeform.{field}") : F($"validation.strokes.{field}");
        var sb = new StringBuilder();
        string name = Path.GetFileNameWithoutExtension(report.Output);
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {name}");
        sb.AppendLine();
        string family = spec.Family == ModelFamily.Freeform ? "Freeform inpainting model (any mask, any size)" : "Center-family inpainting model (the article's context encoder: a centred hole)";
        sb.AppendLine(CultureInfo.InvariantCulture, $"{family}, ONNX contract `inpaint/{ContractNames.Version}`, exported by `inpaint-export` on {DateTime.UtcNow:yyyy-MM-dd}.");
        sb.AppendLine();
        sb.AppendLine("| | |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| architecture | `{spec.Architecture}`, {spec.ParameterCount:N0} generator parameters, {spec.Layers.Count} layers |");
        string hw = spec.Family == ModelFamily.Freeform ? "H,W" : $"{spec.ImageSize},{spec.ImageSize}";
        sb.AppendLine(CultureInfo.InvariantCulture, $"| input | `image` float32 [N,3,{hw}] RGB 0..255, `mask` float32 [N,1,{hw}] 0..255 (hole where >= {ContractNames.MaskThreshold}) |");
        if (spec.Family == ModelFamily.Freeform && spec.Layers.Count > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| optional input | `{ContractNames.PrefilledInput}` float32 [N,3,{hw}] 0..255: the image with its holes already filled by this pre-fill (`{MetadataKeys.Prefilled}` = 1); fed, the graph runs only the U-Net, otherwise its own pre-fill |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| output | `inpainted` float32 [N,3,{hw}] RGB 0..255; known pixels copied from the input |");
        bool untrained = spec.Family == ModelFamily.Freeform && spec.Layers.Count == 0;
        if (untrained)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| hole | `any`: the classical multigrid harmonic fill alone (`{spec.Prefill!.Describe()}`), no learned weights: the freeform family's pre-fill, shipped as a baseline and a fast classical inpainter |");
        else if (spec.Family == ModelFamily.Freeform)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| hole | `any`: the graph pre-fills every hole (`{spec.Prefill!.Describe()}`) and adds the U-Net's residual inside the holes; trained on {spec.ImageSize}px tiles, pads to multiples of {spec.Granularity} |");
        else
            sb.AppendLine(CultureInfo.InvariantCulture, $"| hole | `{spec.Hole.Describe()}`: the generator fills the centred {spec.Hole.Size}x{spec.Hole.Size} square (fill [{string.Join(", ", spec.Hole.Fill.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}] in [-1, 1], overlap {spec.Hole.Overlap}) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| file | {report.Bytes / 1e6:F2} MB, {(halfPrecision ? "float16" : "float32")} weights, opset {ContractNames.Opset}, {report.Nodes} nodes |");
        if (!untrained)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| training data | {F("data.train_images")} training and {F("data.validation_images")} validation photos from `{F("data.folder")}` |");
        if (spec.Family == ModelFamily.Freeform && !untrained)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| training | {F("steps")} steps ({F("epochs")} epochs) of batch {F("batch_size")}, masks `{F("mask_mix")}`, photos drawn `{F("weighting")}`, losses {F("losses")}, learning rate {F("learning_rate")} ({F("schedule")}), seed {F("seed")}, {F("train_seconds")} s on `{F("device")}` |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| validation (hole-PSNR, dB; pre-fill alone in brackets) | mean {F("validation.mean_psnr")}; center {F("validation.center.psnr")} ({F("validation.center.prefill_psnr")}), square {F("validation.square.psnr")} ({F("validation.square.prefill_psnr")}), strokes {Strokes("psnr")} ({Strokes("prefill_psnr")}), scratches {F("validation.scratch.psnr")} ({F("validation.scratch.prefill_psnr")}), text {F("validation.text.psnr")} ({F("validation.text.prefill_psnr")}) on {F("validation.images")} crops per kind at step {F("validation.step")} |");
        }
        else if (spec.Family != ModelFamily.Freeform)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| training | {F("steps")} steps ({F("epochs")} epochs) of batch {F("batch_size")}, mask `{F("mask")}`, fill `{F("fill")}`, seed {F("seed")}, {F("train_seconds")} s on `{F("device")}` |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| validation (centre hole) | hole-PSNR {F("validation.psnr")} dB, SSIM {F("validation.ssim")}, L1 {F("validation.l1")}, L2 {F("validation.l2")} on {F("validation.images")} crops at step {F("validation.step")} |");
        }
        if (report.Verification.Count > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| export check | max abs difference to TorchSharp {report.Verification.Max(v => v.MaxGeneratedDifference):G3} (0..255 scale) over {report.Verification.Count} batches; known pixels identical: {report.Verification.All(v => v.KnownPixelsIdentical)} |");
        sb.AppendLine();
        sb.AppendLine("Quality against OpenCV's Telea and Navier-Stokes on held-out photos: run `inpaint eval` and add the table here.");
        return sb.ToString();
    }
}
