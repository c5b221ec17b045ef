namespace Inpaint.Imaging;

/// <summary>
/// The sums behind the texture ratio (<see cref="RealismAccumulator.TextureRatio"/>): the squared forward gradient of
/// luma, g(x, y) = (Y(x+1, y) - Y(x, y))^2 + (Y(x, y+1) - Y(x, y))^2 with Y = 0.299 R + 0.587 G + 0.114 B on the 0..1
/// scale (BT.601, the weights of the mask rule), summed over the holes eroded by <see cref="Erosion"/> pixels.
/// </summary>
internal static class TextureEnergy
{
    /// <summary>
    /// The erosion radius (a 5x5 square): it keeps the seam between fill and known pixels out of the measure, and since
    /// <see cref="Morphology.Erode"/> never keeps pixels this close to the image's border, both forward neighbours exist.
    /// </summary>
    public const int Erosion = 2;

    /// <summary>The sum of g over the eroded holes, for the truth and for the result.</summary>
    public static (double Truth, double Result) Measure(byte[] truth, byte[] result, bool[] holes, int width, int height)
    {
        bool[] inner = Morphology.Erode(holes, width, height, Erosion);
        return (Sum(Luma(truth), inner, width), Sum(Luma(result), inner, width));
    }

    /// <summary>BT.601 luma of interleaved 8-bit RGB, on the 0..1 scale.</summary>
    public static double[] Luma(byte[] rgb)
    {
        var luma = new double[rgb.Length / 3];
        for (int i = 0; i < luma.Length; i++) luma[i] = (0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]) / 255.0;
        return luma;
    }

    private static double Sum(double[] luma, bool[] inner, int width)
    {
        double sum = 0;
        for (int p = 0; p < inner.Length; p++)
        {
            if (!inner[p]) continue;
            double dx = luma[p + 1] - luma[p], dy = luma[p + width] - luma[p];
            sum += dx * dx + dy * dy;
        }
        return sum;
    }
}
