using Inpaint.Trainer.Training;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class MaskedMetricsTests
{
    [Fact]
    public void HolePsnrAndL1MatchAComputationByHand()
    {
        using var scope = NewDisposeScope();
        var rng = new Random(4);
        int h = 20, w = 24;
        float[] a = Enumerable.Range(0, 3 * h * w).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] b = Enumerable.Range(0, 3 * h * w).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] hole = Enumerable.Range(0, h * w).Select(i => i % 7 == 0 ? 1f : 0f).ToArray();
        var sums = HoleMetrics.MaskedSums(tensor(a, [1, 3, h, w]), tensor(b, [1, 3, h, w]), tensor(hole, [1, 1, h, w]));
        // By hand: quantise to 8 bits as an output file would, then mean squared and absolute error over hole values.
        static double Q(float v) => Math.Round((Math.Clamp(v, -1, 1) + 1) * 127.5) / 255;
        double se = 0, ae = 0;
        int n = 0;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < h * w; i++)
            {
                if (hole[i] == 0) continue;
                double d = Q(a[c * h * w + i]) - Q(b[c * h * w + i]);
                se += d * d;
                ae += Math.Abs(d);
                n++;
            }
        Assert.Equal(1, sums.Images);
        Assert.Equal(-10 * Math.Log10(se / n), sums.PsnrSum, 3);
        Assert.Equal(ae / n, sums.L1Sum, 5);
    }

    [Fact]
    public void MaskedSsimIgnoresDifferencesFarFromTheHoleAndSeesTheSeam()
    {
        using var scope = NewDisposeScope();
        int s = 64;
        Tensor truth = rand(1, 3, s, s) * 2 - 1;
        Tensor hole = zeros(1, 1, s, s);
        hole[.., .., 28..36, 28..36] = tensor(1f);
        // A change 20 px away from the hole: no 11x11 window touching the hole sees it.
        Tensor farChange = truth.clone();
        farChange[.., .., 0..4, 0..4] = tensor(-1f);
        Assert.Equal(1, HoleMetrics.MaskedSums(farChange, truth, hole).SsimSum, 5);
        // A change right next to the hole (the seam) lowers it, though no hole pixel differs.
        Tensor seamChange = truth.clone();
        seamChange[.., .., 26..28, 28..36] = tensor(1f);
        Assert.True(HoleMetrics.MaskedSums(seamChange, truth, hole).SsimSum < 0.95);
        // Images without a hole pixel are not counted.
        Assert.Equal(0, HoleMetrics.MaskedSums(truth, truth, zeros(1, 1, s, s)).Images);
    }
}
