using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>Quality of filled holes, averaged over images; pixels on the 0..1 scale after 8-bit quantisation.</summary>
/// <param name="Psnr">Peak signal-to-noise ratio over the hole, dB (mean of per-image values).</param>
/// <param name="Ssim">Structural similarity of the hole patch (11x11 Gaussian window, sigma 1.5).</param>
/// <param name="L1">Mean absolute error over the hole.</param>
/// <param name="L2">Mean squared error over the hole.</param>
/// <param name="Images">Images measured.</param>
public sealed record HoleQuality(double Psnr, double Ssim, double L1, double L2, int Images);

/// <summary>
/// Validation's quality figures for batches of tensors, measured by <see cref="QualityMetrics"/> (the maths <c>inpaint
/// eval</c> uses): each image is quantised to 8 bits first, as a user's output file would be.
/// </summary>
public static class HoleMetrics
{
    /// <summary>Per-image sums for patches [N,3,P,P] in [-1, 1], the whole patch being the hole.</summary>
    public static (double PsnrSum, double SsimSum, double L1Sum, double L2Sum) Sums(Tensor generated, Tensor truth)
    {
        var (psnr, ssim, l1, l2, _) = MaskedSums(generated, truth, hole: null);
        return (psnr, ssim, l1, l2);
    }

    /// <summary>
    /// Per-image sums for whole images [N,3,H,W] in [-1, 1] measured over the holes of <paramref name="hole"/>
    /// [N,1,H,W] (1 = hole; null: every pixel): PSNR, L1 and L2 over the hole pixels, and a masked SSIM, the SSIM map
    /// averaged over the 11x11 windows that touch the hole (so the seam around it counts, and untouched pixels far
    /// from it do not). Images without a hole pixel are skipped (their count is returned).
    /// </summary>
    public static (double PsnrSum, double SsimSum, double L1Sum, double L2Sum, int Images) MaskedSums(Tensor generated, Tensor truth, Tensor? hole)
    {
        int n = (int)generated.shape[0], h = (int)generated.shape[2], w = (int)generated.shape[3];
        float[] a = Values(generated), b = Values(truth);
        float[]? holes = hole is null ? null : Values(hole);
        var quality = new ImageQuality?[n];
        Parallel.For(0, n, i =>
        {
            bool[] flags = Holes(holes, i, h * w);
            if (Array.IndexOf(flags, true) < 0) return;
            quality[i] = QualityMetrics.Measure(Bytes(b, i, h * w), Bytes(a, i, h * w), flags, w, h);
        });
        double psnr = 0, ssim = 0, l1 = 0, l2 = 0;
        int images = 0;
        foreach (ImageQuality? q in quality)
        {
            if (q is null) continue;
            psnr += q.HolePsnr; ssim += q.MaskedSsim; l1 += q.L1; l2 += q.L2;
            images++;
        }
        return (psnr, ssim, l1, l2, images);
    }

    private static float[] Values(Tensor t)
    {
        using Tensor cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static bool[] Holes(float[]? holes, int image, int plane)
    {
        var flags = new bool[plane];
        if (holes is null) Array.Fill(flags, true);
        else
            for (int p = 0; p < plane; p++) flags[p] = holes[image * plane + p] > 0.5f;
        return flags;
    }

    /// <summary>Image <paramref name="image"/> of a planar [N,3,H,W] batch as interleaved 8-bit RGB.</summary>
    private static byte[] Bytes(float[] planar, int image, int plane)
    {
        var rgb = new byte[3 * plane];
        int start = image * 3 * plane;
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < 3; c++) rgb[3 * p + c] = PixelNormalisation.ToByte(planar[start + c * plane + p]);
        return rgb;
    }
}
