using Inpaint.Imaging;

namespace Inpaint.Cli.Evaluation;

/// <summary>A mean with the half-width of its 95% interval (normal approximation over the tiles).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Half">Half the interval's width.</param>
public readonly record struct Figure(double Mean, double Half)
{
    /// <summary>From values.</summary>
    public static Figure Of(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new Figure(mean, 1.96 * sd / Math.Sqrt(values.Count));
    }
}

/// <summary>One method's figures over the tiles of one mask kind.</summary>
/// <param name="HolePsnr">Hole-PSNR, dB.</param>
/// <param name="MaskedSsim">SSIM over the windows touching the hole.</param>
/// <param name="Ssim">SSIM over the tile.</param>
/// <param name="L1">Mean absolute error over the hole.</param>
/// <param name="L2">Mean squared error over the hole.</param>
/// <param name="TextureRatio">The texture ratio pooled over the tiles (<see cref="RealismAccumulator.TextureRatio"/>): 1 is the truth's detail, 0 a flat fill; NaN when no hole survives the erosion.</param>
/// <param name="PatchSwd">The patch SWD x1000 pooled over the tiles (<see cref="RealismAccumulator.PatchSwd"/>): 0 is the truth, lower is more like it.</param>
/// <param name="Diversity">The mean pairwise hole L1 between the method's variants (<see cref="QualityMetrics.Diversity"/>); null when it made one repair a tile.</param>
public sealed record Summary(Figure HolePsnr, Figure MaskedSsim, Figure Ssim, Figure L1, Figure L2, double TextureRatio, double PatchSwd, Figure? Diversity);

/// <summary>One method's results on one set of samples: its summary and its hole-PSNR per tile (for the paired leads).</summary>
internal sealed record MethodResult(string Method, Summary Stats, List<double> HolePsnrs)
{
    /// <summary>
    /// Every method repaired the same tiles, so the lead of this method over <paramref name="other"/> is best judged tile
    /// by tile: the interval of the paired difference is much narrower than those of the two means.
    /// </summary>
    public (Figure Lead, int Ahead, int Tiles) LeadOver(MethodResult other)
    {
        var differences = HolePsnrs.Zip(other.HolePsnrs, (a, b) => a - b).ToList();
        return (Figure.Of(differences), differences.Count(v => v > 0), differences.Count);
    }

    /// <summary>
    /// Runs every method on every sample and scores the scored rectangles; the realism measures pool each method's tiles
    /// in sample order with <paramref name="seed"/>, so every method is measured on the same patch centres.
    /// </summary>
    public static List<MethodResult> Evaluate(List<EvalSample> samples, List<EvalMethod> methods, int seed, CancellationToken cancellation)
    {
        var rows = new List<MethodResult>();
        if (samples.Count == 0) return rows;
        foreach (EvalMethod method in methods)
        {
            var q = new List<ImageQuality>();
            var diversity = new List<double>();
            var realism = new RealismAccumulator(seed);
            foreach (EvalSample s in samples)
            {
                cancellation.ThrowIfCancellationRequested();
                List<byte[]> results = method.Run(s).Select(s.Scored).ToList();
                byte[] truth = s.Scored(s.Truth), result = results[0];
                bool[] holes = s.ScoredHoles();
                q.Add(QualityMetrics.Measure(truth, result, holes, s.Score.Width, s.Score.Height));
                realism.Add(truth, result, holes, s.Score.Width, s.Score.Height);
                if (results.Count > 1) diversity.Add(QualityMetrics.Diversity(results, holes));
            }
            var psnrs = q.Select(x => x.HolePsnr).ToList();
            rows.Add(new MethodResult(method.Name, new Summary(Figure.Of(psnrs), Figure.Of(q.Select(x => x.MaskedSsim).ToList()),
                Figure.Of(q.Select(x => x.Ssim).ToList()), Figure.Of(q.Select(x => x.L1).ToList()), Figure.Of(q.Select(x => x.L2).ToList()),
                realism.TextureRatio, realism.PatchSwd, diversity.Count > 0 ? Figure.Of(diversity) : null), psnrs));
        }
        return rows;
    }
}
