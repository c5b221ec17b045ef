namespace Inpaint.Imaging;

/// <summary>Square dilation and erosion of pixel flags (row-major), separable: rows, then columns.</summary>
public static class Morphology
{
    /// <summary>Flags within <paramref name="radius"/> pixels (Chebyshev distance) of a set flag.</summary>
    public static bool[] Dilate(bool[] flags, int width, int height, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        if (flags.Length != width * height) throw new ArgumentException($"{flags.Length} flags do not make a {width}x{height} image", nameof(flags));
        var rows = new bool[flags.Length];
        for (int y = 0; y < height; y++) DilateLine(flags, rows, y * width, 1, width, radius);
        var result = new bool[flags.Length];
        for (int x = 0; x < width; x++) DilateLine(rows, result, x, width, height, radius);
        return result;
    }

    /// <summary>
    /// Flags whose whole (2r+1)-square neighbourhood is set; pixels closer than <paramref name="radius"/> to the image's
    /// border are never kept (the outside counts as unset).
    /// </summary>
    public static bool[] Erode(bool[] flags, int width, int height, int radius)
    {
        var outside = new bool[flags.Length];
        for (int i = 0; i < flags.Length; i++) outside[i] = !flags[i];
        bool[] grown = Dilate(outside, width, height, radius);
        var result = new bool[flags.Length];
        for (int y = radius; y < height - radius; y++)
            for (int x = radius; x < width - radius; x++)
                result[y * width + x] = !grown[y * width + x];
        return result;
    }

    /// <summary>1-D dilation of <paramref name="count"/> values starting at <paramref name="start"/>, <paramref name="stride"/> apart.</summary>
    private static void DilateLine(bool[] source, bool[] target, int start, int stride, int count, int radius)
    {
        int last = int.MinValue / 2;
        for (int i = 0; i < count; i++)
        {
            if (source[start + i * stride]) last = i;
            target[start + i * stride] = i - last <= radius;
        }
        last = int.MaxValue / 2;
        for (int i = count - 1; i >= 0; i--)
        {
            if (source[start + i * stride]) last = i;
            target[start + i * stride] |= last - i <= radius;
        }
    }
}
