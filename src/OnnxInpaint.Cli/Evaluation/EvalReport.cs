using System.Globalization;
using System.Text.Json;
using Inpaint.Imaging;

namespace Inpaint.Cli.Evaluation;

/// <summary>What eval prints for each set of samples, and the same figures as JSON.</summary>
internal sealed class EvalReport(TextWriter stdout)
{
    private readonly Dictionary<string, object> sets = new();

    /// <summary>Prints one set's table and the first method's paired leads, and keeps them for the JSON.</summary>
    public void Add(string name, List<EvalSample> samples, List<MethodResult> rows, int seed)
    {
        int photos = samples.Select(s => s.Photo).Distinct().Count();
        double share = samples.Count == 0 ? 0 : samples.Average(s => s.HoleShare());
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mask {name}: {samples.Count} tiles from {photos} photos (seed {seed}), {share:P1} of a tile's pixels are holes"));
        stdout.WriteLine($"{"method",-36} {"hole-PSNR",16} {"SSIM(hole)",16} {"SSIM(tile)",16} {"L1",8} {"L2",9} {"texture",8} {"SWD",7} {"diversity",9}");
        foreach (MethodResult row in rows)
        {
            Summary q = row.Stats;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Method,-36} {q.HolePsnr.Mean,7:F2} ±{q.HolePsnr.Half,6:F2}  {q.MaskedSsim.Mean,7:F4} ±{q.MaskedSsim.Half,6:F4}  {q.Ssim.Mean,7:F4} ±{q.Ssim.Half,6:F4} {q.L1.Mean,8:F4} {q.L2.Mean,9:F5} {Fixed(q.TextureRatio, "F3"),8} {Fixed(q.PatchSwd, "F1"),7} {(q.Diversity is { } d ? d.Mean.ToString("F4", CultureInfo.InvariantCulture) : "-"),9}"));
        }
        var paired = new Dictionary<string, Figure>();
        foreach (MethodResult other in rows.Skip(1))
        {
            var (lead, ahead, tiles) = rows[0].LeadOver(other);
            paired[other.Method] = lead;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {rows[0].Method} - {other.Method}: {SignedNumber.Format(lead.Mean),6} ±{lead.Half,5:F2} dB hole-PSNR, paired over the tiles ({ahead} of {tiles} tiles ahead)"));
        }
        sets[name] = new
        {
            tiles = samples.Count, photos, hole_share = share,
            results = rows.ToDictionary(r => r.Method, r => new
            {
                hole_psnr = r.Stats.HolePsnr, masked_ssim = r.Stats.MaskedSsim, ssim = r.Stats.Ssim, l1 = r.Stats.L1, l2 = r.Stats.L2,
                texture_ratio = Number(r.Stats.TextureRatio), patch_swd = Number(r.Stats.PatchSwd), diversity = r.Stats.Diversity,
            }),
            first_method_lead_hole_psnr = paired,
        };
    }

    /// <summary>Writes everything printed so far as JSON, with the run's settings.</summary>
    public void WriteJson(string path, string images, int seed, int tile, int feather, int photos)
    {
        var realism = new
        {
            seed, patches_per_tile = RealismAccumulator.DefaultPatchesPerTile, directions = RealismAccumulator.DefaultDirections,
            swd_scale = RealismAccumulator.SwdScale,
        };
        var document = new { images, seed, tile, feather, photos, realism, masks = sets };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, IncludeFields = true }));
    }

    /// <summary>A pooled measure in the table: "n/a" where it is undefined (no hole pixel survived the erosion).</summary>
    private static string Fixed(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A pooled measure in the JSON: null where it is undefined (JSON has no NaN).</summary>
    private static double? Number(double value) => double.IsNaN(value) ? null : value;
}
