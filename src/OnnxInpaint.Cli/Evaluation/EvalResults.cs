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
public sealed record Summary(Figure HolePsnr, Figure MaskedSsim, Figure Ssim, Figure L1, Figure L2);

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

    /// <summary>Runs every method on every sample and scores the scored rectangles.</summary>
    public static List<MethodResult> Evaluate(List<EvalSample> samples, List<EvalMethod> methods, CancellationToken cancellation)
    {
        var rows = new List<MethodResult>();
        if (samples.Count == 0) return rows;
        foreach (EvalMethod method in methods)
        {
            var q = new List<ImageQuality>();
            foreach (EvalSample s in samples)
            {
                cancellation.ThrowIfCancellationRequested();
                byte[] result = method.Run(s);
                q.Add(QualityMetrics.Measure(s.Scored(s.Truth), s.Scored(result), s.ScoredHoles(), s.Score.Width, s.Score.Height));
            }
            var psnrs = q.Select(x => x.HolePsnr).ToList();
            rows.Add(new MethodResult(method.Name, new Summary(Figure.Of(psnrs), Figure.Of(q.Select(x => x.MaskedSsim).ToList()),
                Figure.Of(q.Select(x => x.Ssim).ToList()), Figure.Of(q.Select(x => x.L1).ToList()), Figure.Of(q.Select(x => x.L2).ToList())), psnrs));
        }
        return rows;
    }
}
