namespace Inpaint.Imaging;

/// <summary>
/// The Laplacian pyramid of the patch SWD (<see cref="RealismAccumulator"/>): G0 is the image; G(k+1) is G(k) blurred
/// with the separable binomial [1, 4, 6, 4, 1] / 16 (edge pixels replicated) at its even rows and columns, so a level
/// is ceil(size / 2) on each side; L(k) = G(k) - expand(G(k+1)) below the top, and the top level is G itself. Expand is
/// bilinear: coarse pixel j sits on fine pixel 2j, an odd fine pixel is the mean of its two coarse neighbours, the last
/// coarse pixel repeated at the right and lower edges.
/// </summary>
internal static class LaplacianPyramid
{
    private static readonly double[] Binomial = [1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0];

    /// <summary>The side of level <paramref name="level"/> for a full-resolution side <paramref name="size"/>: ceil(size / 2^level).</summary>
    public static int LevelSize(int size, int level) => ((size - 1) >> level) + 1;

    /// <summary>L(0) ... L(levels - 2) and the coarsest Gaussian level G(levels - 1) of interleaved 8-bit RGB (0..1 scale).</summary>
    public static RgbPlane[] Build(byte[] rgb, int width, int height, int levels)
    {
        var gaussian = new RgbPlane[levels];
        gaussian[0] = RgbPlane.FromBytes(rgb, width, height);
        for (int k = 1; k < levels; k++) gaussian[k] = Reduce(gaussian[k - 1]);
        var laplacian = new RgbPlane[levels];
        for (int k = 0; k < levels - 1; k++)
            laplacian[k] = gaussian[k].Minus(Expand(gaussian[k + 1], gaussian[k].Width, gaussian[k].Height));
        laplacian[levels - 1] = gaussian[levels - 1];
        return laplacian;
    }

    /// <summary>The binomial blur of <paramref name="plane"/> at its even rows and columns.</summary>
    public static RgbPlane Reduce(RgbPlane plane)
    {
        var rows = new RgbPlane(LevelSize(plane.Width, 1), plane.Height);
        for (int y = 0; y < rows.Height; y++)
            for (int j = 0; j < rows.Width; j++)
                for (int t = 0; t < Binomial.Length; t++)
                    Accumulate(rows, rows.Index(j, y), plane, plane.Index(Math.Clamp(2 * j + t - 2, 0, plane.Width - 1), y), Binomial[t]);
        var both = new RgbPlane(rows.Width, LevelSize(plane.Height, 1));
        for (int i = 0; i < both.Height; i++)
            for (int x = 0; x < both.Width; x++)
                for (int t = 0; t < Binomial.Length; t++)
                    Accumulate(both, both.Index(x, i), rows, rows.Index(x, Math.Clamp(2 * i + t - 2, 0, rows.Height - 1)), Binomial[t]);
        return both;
    }

    /// <summary><paramref name="coarse"/> upsampled bilinearly to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static RgbPlane Expand(RgbPlane coarse, int width, int height)
    {
        var rows = new RgbPlane(width, coarse.Height);
        for (int y = 0; y < rows.Height; y++)
            for (int x = 0; x < width; x++)
                Average(rows, rows.Index(x, y), coarse, coarse.Index(x >> 1, y), coarse.Index(Math.Min((x + 1) >> 1, coarse.Width - 1), y));
        var both = new RgbPlane(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                Average(both, both.Index(x, y), rows, rows.Index(x, y >> 1), rows.Index(x, Math.Min((y + 1) >> 1, rows.Height - 1)));
        return both;
    }

    private static void Accumulate(RgbPlane target, int to, RgbPlane source, int from, double weight)
    {
        for (int c = 0; c < 3; c++) target.Values[to + c] += weight * source.Values[from + c];
    }

    private static void Average(RgbPlane target, int to, RgbPlane source, int first, int second)
    {
        for (int c = 0; c < 3; c++) target.Values[to + c] = 0.5 * (source.Values[first + c] + source.Values[second + c]);
    }
}
