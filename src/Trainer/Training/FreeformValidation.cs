using System.Globalization;
using System.Text.Json.Nodes;
using Inpaint.Masks;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>Quality on one mask kind's validation tiles.</summary>
/// <param name="Psnr">Mean hole-PSNR, dB.</param>
/// <param name="Ssim">Mean masked SSIM.</param>
/// <param name="L1">Mean L1 over the holes.</param>
/// <param name="L2">Mean L2 over the holes.</param>
/// <param name="Images">Tiles measured.</param>
public sealed record KindQuality(double Psnr, double Ssim, double L1, double L2, int Images);

/// <summary>
/// The freeform family's validation: every mask kind on fixed held-out tiles, the model beside its pre-fill alone
/// (measured once), and a summary whose score (the mean hole-PSNR over the kinds) picks the best checkpoint.
/// </summary>
internal sealed class FreeformValidation(FreeformValidationSet tiles, FreeformGenerator generator, Device device, int batchSize, Action<string> log)
{
    private IReadOnlyDictionary<MaskKind, KindQuality>? prefill;

    /// <summary>Quality per mask kind: the model's, or its pre-fill's alone.</summary>
    public IReadOnlyDictionary<MaskKind, KindQuality> Kinds(bool prefillOnly = false)
    {
        var result = new Dictionary<MaskKind, KindQuality>();
        if (tiles.Tiles == 0) return result;
        generator.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (MaskKind kind in FreeformValidationSet.Kinds) result[kind] = Kind(kind, prefillOnly);
        }
        finally
        {
            generator.train();
        }
        return result;
    }

    private KindQuality Kind(MaskKind kind, bool prefillOnly)
    {
        int s = tiles.ImageSize, plane = s * s;
        double psnr = 0, ssim = 0, l1 = 0, l2 = 0;
        int images = 0;
        float[] holes = tiles.Holes[kind];
        for (int start = 0; start < tiles.Tiles; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, tiles.Tiles - start);
            Tensor real = torch.tensor(tiles.Real.AsSpan(start * 3 * plane, n * 3 * plane).ToArray(), [n, 3, s, s]).to(device);
            Tensor hole = torch.tensor(holes.AsSpan(start * plane, n * plane).ToArray(), [n, 1, s, s]).to(device);
            Tensor output = prefillOnly ? generator.Prefill.forward(real, hole) : generator.forward(real, hole);
            var sums = HoleMetrics.MaskedSums(output.cpu(), real.cpu(), hole.cpu());
            psnr += sums.PsnrSum; ssim += sums.SsimSum; l1 += sums.L1Sum; l2 += sums.L2Sum; images += sums.Images;
        }
        int count = Math.Max(1, images);
        return new KindQuality(psnr / count, ssim / count, l1 / count, l2 / count, images);
    }

    /// <summary>The pass the training loop records: per kind, the model's figures and its gain over the pre-fill.</summary>
    public ValidationSummary Summary()
    {
        if (prefill is null)
        {
            prefill = Kinds(prefillOnly: true);
            if (prefill.Count > 0)
                log("validation, pre-fill alone: " + string.Join(", ", prefill.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key.Word()} {kv.Value.Psnr:F2} dB"))));
        }
        var kinds = Kinds();
        if (kinds.Count == 0) return new ValidationSummary(double.NaN, 0, new Dictionary<string, double>(), "no validation tiles", new JsonObject());
        var metrics = new Dictionary<string, double>();
        var facts = new JsonObject { ["masks"] = string.Join(",", kinds.Keys.Select(k => k.Word())) };
        foreach (var (kind, q) in kinds)
        {
            string k = kind.Word();
            metrics[$"{k}/psnr"] = q.Psnr;
            metrics[$"{k}/ssim"] = q.Ssim;
            metrics[$"{k}/l1"] = q.L1;
            metrics[$"{k}/gain_over_prefill"] = q.Psnr - prefill[kind].Psnr;
            facts[k] = new JsonObject
            {
                ["psnr"] = Math.Round(q.Psnr, 4), ["ssim"] = Math.Round(q.Ssim, 5), ["l1"] = Math.Round(q.L1, 6),
                ["prefill_psnr"] = Math.Round(prefill[kind].Psnr, 4),
            };
        }
        double score = kinds.Values.Average(q => q.Psnr);
        metrics["psnr"] = score;
        metrics["ssim"] = kinds.Values.Average(q => q.Ssim);
        metrics["gain_over_prefill"] = score - prefill.Values.Average(q => q.Psnr);
        facts["mean_psnr"] = Math.Round(score, 4);
        string text = string.Create(CultureInfo.InvariantCulture, $"mean hole PSNR {score:F2} dB ({SignedNumber.Format(metrics["gain_over_prefill"])} over the pre-fill): ")
                      + string.Join(", ", kinds.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key.Word()} {kv.Value.Psnr:F2}")));
        return new ValidationSummary(score, kinds.Values.Max(q => q.Images), metrics, text, facts);
    }
}
