using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Imaging;

/// <summary>One method's quality on one image (a tile), pixels on the 0..1 scale.</summary>
/// <param name="Psnr">PSNR over the whole image, dB.</param>
/// <param name="HolePsnr">PSNR over the hole pixels, dB.</param>
/// <param name="MaskedSsim">SSIM averaged over the 11x11 windows that touch the hole (the hole and its seam).</param>
/// <param name="Ssim">SSIM averaged over every 11x11 window of the image.</param>
/// <param name="L1">Mean absolute error over the hole.</param>
/// <param name="L2">Mean squared error over the hole.</param>
public sealed record ImageQuality(double Psnr, double HolePsnr, double MaskedSsim, double Ssim, double L1, double L2);

/// <summary>
/// Metrics between a result and the truth, both interleaved 8-bit RGB. SSIM uses the usual 11x11 Gaussian window
/// (sigma 1.5), constants (0.01)^2 and (0.03)^2, valid windows only, channels averaged.
/// </summary>
public static class QualityMetrics
{
    private const int Window = 11;

    /// <summary>Measures <paramref name="result"/> against <paramref name="truth"/> over <paramref name="holes"/>.</summary>
    /// <exception cref="ArgumentException">No hole pixel: hole metrics would be meaningless.</exception>
    public static ImageQuality Measure(byte[] truth, byte[] result, bool[] holes, int width, int height)
    {
        double sumAll = 0, sumHole = 0, absHole = 0;
        long holeValues = 0;
        for (int i = 0; i < width * height; i++)
            for (int c = 0; c < 3; c++)
            {
                double d = (result[3 * i + c] - truth[3 * i + c]) / 255.0;
                sumAll += d * d;
                if (holes[i]) { sumHole += d * d; absHole += Math.Abs(d); holeValues++; }
            }
        if (holeValues == 0) throw new ArgumentException("the mask has no hole pixel", nameof(holes));
        var (ssim, masked) = Ssim(truth, result, holes, width, height);
        return new ImageQuality(Psnr(sumAll / (3.0 * width * height)), Psnr(sumHole / holeValues), masked, ssim, absHole / holeValues, sumHole / holeValues);
    }

    /// <summary>
    /// The diversity of several fills of one hole (Pluralistic Image Completion's measure): the mean absolute difference
    /// over the hole pixels and channels, on the 0..1 scale, averaged over every pair of <paramref name="variants"/>
    /// (interleaved RGB, one layout). 0 when the variants are equal.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two variants, or no hole pixel.</exception>
    public static double Diversity(IReadOnlyList<byte[]> variants, bool[] holes)
    {
        if (variants.Count < 2) throw new ArgumentException("diversity needs at least two variants", nameof(variants));
        int holeCount = holes.Count(h => h);
        if (holeCount == 0) throw new ArgumentException("the mask has no hole pixel", nameof(holes));
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < variants.Count; a++)
            for (int b = a + 1; b < variants.Count; b++, pairs++)
            {
                long absolute = 0;
                for (int i = 0; i < holes.Length; i++)
                    if (holes[i])
                        for (int c = 3 * i; c < 3 * i + 3; c++) absolute += Math.Abs(variants[a][c] - variants[b][c]);
                sum += absolute / (255.0 * 3 * holeCount);
            }
        return sum / pairs;
    }

    /// <summary>An image's pixels as interleaved RGB bytes, row by row: the layout the metrics and OpenCV take.</summary>
    public static byte[] Rgb(Image<Rgba32> image)
    {
        var rgb = new byte[3 * image.Width * image.Height];
        for (int y = 0; y < image.Height; y++)
        {
            var row = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < image.Width; x++)
            {
                int i = 3 * (y * image.Width + x);
                rgb[i] = row[x].R; rgb[i + 1] = row[x].G; rgb[i + 2] = row[x].B;
            }
        }
        return rgb;
    }

    /// <summary>PSNR of a mean squared error on the 0..1 scale, capped at 100 dB for a perfect match.</summary>
    public static double Psnr(double mse) => 10 * Math.Log10(1 / Math.Max(mse, 1e-10));

    /// <summary>SSIM over all valid windows, and over the windows whose footprint holds a hole pixel.</summary>
    public static (double All, double Masked) Ssim(byte[] a, byte[] b, bool[] holes, int width, int height)
    {
        const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;
        int win = Math.Min(Window, Math.Min(width, height));
        double[] kernel = Gaussian(win, 1.5);
        int ow = width - win + 1, oh = height - win + 1;
        // Windows touching the hole: a box "dilation" of the hole over the window's footprint.
        bool[] touch = Touching(holes, width, height, win);
        double all = 0, masked = 0;
        int touched = 0;
        foreach (bool t in touch) if (t) touched++;
        var x = new double[width * height];
        var y = new double[width * height];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < width * height; i++) { x[i] = a[3 * i + c] / 255.0; y[i] = b[3 * i + c] / 255.0; }
            double[] mx = Blur(x, width, height, kernel), my = Blur(y, width, height, kernel);
            double[] xx = Blur(Multiply(x, x), width, height, kernel), yy = Blur(Multiply(y, y), width, height, kernel), xy = Blur(Multiply(x, y), width, height, kernel);
            for (int j = 0; j < oh; j++)
                for (int i = 0; i < ow; i++)
                {
                    int k = j * ow + i;
                    double va = xx[k] - mx[k] * mx[k], vb = yy[k] - my[k] * my[k], cov = xy[k] - mx[k] * my[k];
                    double s = (2 * mx[k] * my[k] + C1) * (2 * cov + C2) / ((mx[k] * mx[k] + my[k] * my[k] + C1) * (va + vb + C2));
                    all += s;
                    if (touch[k]) masked += s;
                }
        }
        return (all / (3.0 * ow * oh), touched == 0 ? double.NaN : masked / (3.0 * touched));
    }

    private static double[] Gaussian(int size, double sigma)
    {
        var k = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) sum += k[i] = Math.Exp(-Math.Pow(i - (size - 1) / 2.0, 2) / (2 * sigma * sigma));
        for (int i = 0; i < size; i++) k[i] /= sum;
        return k;
    }

    private static double[] Multiply(double[] p, double[] q)
    {
        var r = new double[p.Length];
        for (int i = 0; i < r.Length; i++) r[i] = p[i] * q[i];
        return r;
    }

    /// <summary>Separable Gaussian over valid windows: [(H-w+1) x (W-w+1)], row-major.</summary>
    private static double[] Blur(double[] v, int width, int height, double[] k)
    {
        int w = k.Length, ow = width - w + 1, oh = height - w + 1;
        var rows = new double[height * ow];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < ow; x++)
            {
                double s = 0;
                for (int t = 0; t < w; t++) s += k[t] * v[y * width + x + t];
                rows[y * ow + x] = s;
            }
        var result = new double[oh * ow];
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                double s = 0;
                for (int t = 0; t < w; t++) s += k[t] * rows[(y + t) * ow + x];
                result[y * ow + x] = s;
            }
        return result;
    }

    private static bool[] Touching(bool[] holes, int width, int height, int w)
    {
        int ow = width - w + 1, oh = height - w + 1;
        // Summed-area table of hole pixels: a window touches the hole when its sum is positive.
        var sat = new int[(width + 1) * (height + 1)];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                sat[(y + 1) * (width + 1) + x + 1] = (holes[y * width + x] ? 1 : 0) + sat[y * (width + 1) + x + 1] + sat[(y + 1) * (width + 1) + x] - sat[y * (width + 1) + x];
        var touch = new bool[ow * oh];
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                touch[y * ow + x] = sat[(y + w) * (width + 1) + x + w] - sat[y * (width + 1) + x + w] - sat[(y + w) * (width + 1) + x] + sat[y * (width + 1) + x] > 0;
        return touch;
    }
}
