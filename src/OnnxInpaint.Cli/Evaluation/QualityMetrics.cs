namespace Inpaint.Cli.Evaluation;

/// <summary>One method's quality on one image, pixels on the 0..1 scale.</summary>
/// <param name="Psnr">PSNR over the whole image, dB.</param>
/// <param name="HolePsnr">PSNR over the hole pixels, dB.</param>
/// <param name="Ssim">SSIM over the hole's bounding box (11x11 Gaussian window, sigma 1.5, channels averaged).</param>
/// <param name="L1">Mean absolute error over the hole.</param>
/// <param name="L2">Mean squared error over the hole.</param>
public sealed record ImageQuality(double Psnr, double HolePsnr, double Ssim, double L1, double L2);

/// <summary>Metrics between a result and the truth, both interleaved 8-bit RGB.</summary>
public static class QualityMetrics
{
    /// <summary>Measures <paramref name="result"/> against <paramref name="truth"/> (RGB bytes, row-major) over <paramref name="holes"/>.</summary>
    public static ImageQuality Measure(byte[] truth, byte[] result, bool[] holes, int width, int height)
    {
        double sumAll = 0, sumHole = 0, absHole = 0;
        long holeValues = 0;
        int left = width, top = height, right = -1, bottom = -1;
        for (int i = 0; i < width * height; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                double d = (result[3 * i + c] - truth[3 * i + c]) / 255.0;
                sumAll += d * d;
                if (holes[i]) { sumHole += d * d; absHole += Math.Abs(d); holeValues++; }
            }
            if (holes[i])
            {
                int x = i % width, y = i / width;
                left = Math.Min(left, x); right = Math.Max(right, x); top = Math.Min(top, y); bottom = Math.Max(bottom, y);
            }
        }
        double mseAll = sumAll / (3.0 * width * height);
        double mseHole = holeValues == 0 ? 0 : sumHole / holeValues;
        return new ImageQuality(Psnr(mseAll), Psnr(mseHole), holeValues == 0 ? 1 : Ssim(truth, result, width, left, top, right, bottom, height),
            holeValues == 0 ? 0 : absHole / holeValues, mseHole);
    }

    private static double Psnr(double mse) => 10 * Math.Log10(1 / Math.Max(mse, 1e-10));

    /// <summary>Mean SSIM over valid 11x11 windows of the box (widened to at least 11x11 within the image).</summary>
    private static double Ssim(byte[] a, byte[] b, int width, int left, int top, int right, int bottom, int height)
    {
        const int Win = 11;
        const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;
        Widen(ref left, ref right, width, Win);
        Widen(ref top, ref bottom, height, Win);
        var kernel = new double[Win];
        double ks = 0;
        for (int i = 0; i < Win; i++) { kernel[i] = Math.Exp(-Math.Pow(i - Win / 2, 2) / (2 * 1.5 * 1.5)); ks += kernel[i]; }
        for (int i = 0; i < Win; i++) kernel[i] /= ks;
        double total = 0;
        int windows = 0;
        for (int c = 0; c < 3; c++)
            for (int y0 = top; y0 + Win - 1 <= bottom; y0++)
                for (int x0 = left; x0 + Win - 1 <= right; x0++)
                {
                    double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
                    for (int j = 0; j < Win; j++)
                        for (int i = 0; i < Win; i++)
                        {
                            double w = kernel[i] * kernel[j];
                            int k = 3 * ((y0 + j) * width + x0 + i) + c;
                            double va = a[k] / 255.0, vb = b[k] / 255.0;
                            ma += w * va; mb += w * vb; saa += w * va * va; sbb += w * vb * vb; sab += w * va * vb;
                        }
                    double va2 = saa - ma * ma, vb2 = sbb - mb * mb, cov = sab - ma * mb;
                    total += (2 * ma * mb + C1) * (2 * cov + C2) / ((ma * ma + mb * mb + C1) * (va2 + vb2 + C2));
                    windows++;
                }
        return windows == 0 ? 1 : total / windows;
    }

    private static void Widen(ref int low, ref int high, int size, int min)
    {
        while (high - low + 1 < min && (low > 0 || high < size - 1))
        {
            if (low > 0) low--;
            if (high - low + 1 < min && high < size - 1) high++;
        }
    }
}
