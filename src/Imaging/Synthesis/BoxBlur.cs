namespace Inpaint.Imaging.Synthesis;

/// <summary>Separable box blurs of interleaved RGB with the edges replicated; two in a row approximate a Gaussian.</summary>
internal static class BoxBlur
{
    /// <summary>Two box blurs of radius <paramref name="radius"/> (0: a copy).</summary>
    public static float[] Twice(float[] rgb, int width, int height, int radius)
    {
        if (radius == 0) return (float[])rgb.Clone();
        return Once(Once(rgb, width, height, radius), width, height, radius);
    }

    private static float[] Once(float[] rgb, int width, int height, int radius)
    {
        var rows = new float[rgb.Length];
        for (int y = 0; y < height; y++) Line(rgb, rows, 3 * y * width, 3, width, radius);
        var result = new float[rgb.Length];
        for (int x = 0; x < width; x++) Line(rows, result, 3 * x, 3 * width, height, radius);
        return result;
    }

    /// <summary>A running mean along one line of <paramref name="count"/> pixels, <paramref name="step"/> floats apart.</summary>
    private static void Line(float[] source, float[] target, int start, int step, int count, int radius)
    {
        float scale = 1f / (2 * radius + 1);
        for (int c = 0; c < 3; c++)
        {
            float sum = 0;
            for (int k = -radius; k <= radius; k++) sum += source[start + Math.Clamp(k, 0, count - 1) * step + c];
            for (int i = 0; i < count; i++)
            {
                target[start + i * step + c] = sum * scale;
                sum += source[start + Math.Min(i + radius + 1, count - 1) * step + c] - source[start + Math.Max(i - radius, 0) * step + c];
            }
        }
    }
}
