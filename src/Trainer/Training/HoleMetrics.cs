using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>Quality of filled holes, averaged over images; pixels on the 0..1 scale after 8-bit quantisation.</summary>
/// <param name="Psnr">Peak signal-to-noise ratio over the hole, dB (mean of per-image values).</param>
/// <param name="Ssim">Structural similarity of the hole patch (11x11 Gaussian window, sigma 1.5).</param>
/// <param name="L1">Mean absolute error over the hole.</param>
/// <param name="L2">Mean squared error over the hole.</param>
/// <param name="Images">Images measured.</param>
public sealed record HoleQuality(double Psnr, double Ssim, double L1, double L2, int Images);

/// <summary>PSNR, SSIM, mean L1 and L2 between generated and true hole patches.</summary>
public static class HoleMetrics
{
    /// <summary>
    /// Per-image sums for patches [N,3,P,P] in [-1, 1]. Both sides are quantised to 8 bits first, as a user's
    /// output file would be.
    /// </summary>
    public static (double PsnrSum, double SsimSum, double L1Sum, double L2Sum) Sums(Tensor generated, Tensor truth)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor a = Quantise(generated), b = Quantise(truth);
        Tensor diff = a - b;
        Tensor l1 = diff.abs().mean([1, 2, 3]);
        Tensor l2 = diff.square().mean([1, 2, 3]);
        Tensor psnr = log10(l2.maximum(K(1e-10))) * K(-10);
        Tensor ssim = Ssim(a, b);
        return (psnr.sum().item<float>(), ssim.sum().item<float>(), l1.sum().item<float>(), l2.sum().item<float>());
    }

    /// <summary>
    /// Per-image sums for whole images [N,3,H,W] in [-1, 1] measured over the holes of <paramref name="hole"/>
    /// [N,1,H,W] (1 = hole): PSNR, L1 and L2 over the hole pixels, and a masked SSIM, the SSIM map averaged over the
    /// 11x11 windows that touch the hole (so the seam around it counts, and untouched pixels far from it do not).
    /// Images without a hole pixel are skipped (their count is returned).
    /// </summary>
    public static (double PsnrSum, double SsimSum, double L1Sum, double L2Sum, int Images) MaskedSums(Tensor generated, Tensor truth, Tensor hole)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor a = Quantise(generated), b = Quantise(truth);
        Tensor count = hole.sum([1, 2, 3]) * K(3);
        Tensor has = count > 0;
        Tensor safe = count.maximum(K(1));
        Tensor diff = (a - b) * hole;
        Tensor l1 = diff.abs().sum([1, 2, 3]) / safe;
        Tensor l2 = diff.square().sum([1, 2, 3]) / safe;
        Tensor psnr = log10(l2.maximum(K(1e-10))) * K(-10);
        Tensor map = SsimMap(a, b, out int window);
        // Windows (valid positions) whose footprint holds a hole pixel.
        Tensor touching = nn.functional.max_pool2d(hole, window, 1) > 0;
        Tensor touchCount = touching.sum([1, 2, 3]).to_type(ScalarType.Float32);
        Tensor ssim = (map.mean(new long[] { 1 }, keepdim: true) * touching).sum([1, 2, 3]) / touchCount.maximum(K(1));
        Tensor valid = has.to_type(ScalarType.Float32);
        return ((psnr * valid).sum().item<float>(), (ssim * valid).sum().item<float>(), (l1 * valid).sum().item<float>(),
            (l2 * valid).sum().item<float>(), (int)valid.sum().item<float>());
    }

    /// <summary>
    /// Mean SSIM per image for [N,3,H,W] tensors on the 0..1 scale (valid windows only). Call it inside a dispose
    /// scope: its intermediates are left to the scope.
    /// </summary>
    public static Tensor Ssim(Tensor a, Tensor b) => SsimMap(a, b, out _).mean([1, 2, 3]);

    /// <summary>The SSIM map [N,3,H-w+1,W-w+1] over valid windows of side w (11, or less for tiny images).</summary>
    private static Tensor SsimMap(Tensor a, Tensor b, out int size)
    {
        Tensor c1 = K(0.01 * 0.01), c2 = K(0.03 * 0.03), two = K(2);
        size = (int)Math.Min(11, Math.Min(a.shape[2], a.shape[3]));
        Tensor window = GaussianWindow(size, 1.5).expand(3, 1, size, size);
        Tensor Blur(Tensor x) => nn.functional.conv2d(x, window, groups: 3);
        Tensor muA = Blur(a), muB = Blur(b);
        Tensor varA = Blur(a * a) - muA * muA;
        Tensor varB = Blur(b * b) - muB * muB;
        Tensor cov = Blur(a * b) - muA * muB;
        return (two * muA * muB).Plus(c1) * (two * cov).Plus(c2) / ((muA * muA).Plus(muB * muB).Plus(c1) * varA.Plus(varB).Plus(c2));
    }

    // Constants as 0-dim tensors owned by the current dispose scope, instead of temporary Scalars that the GC may
    // finalise while TorchSharp's native call still reads them (see SpecBlock).
    private static Tensor K(double value) => tensor((float)value);

    private static Tensor Quantise(Tensor x) => (x.clamp(K(-1), K(1)).Plus(K(1)) * K(127.5)).round() / K(255);

    private static Tensor GaussianWindow(int size, double sigma)
    {
        Tensor coords = tensor(Enumerable.Range(0, size).Select(i => (float)(i - (size - 1) / 2.0)).ToArray());
        Tensor g = exp(-(coords * coords) / K(2 * sigma * sigma));
        g = g / g.sum();
        return outer(g, g).unsqueeze(0).unsqueeze(0);
    }
}
