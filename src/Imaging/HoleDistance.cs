namespace Inpaint.Imaging;

/// <summary>
/// How far each hole pixel lies from the nearest known pixel, in the chessboard metric (a pixel touching a known one
/// is 1): the measure of how large a hole is where it matters, in its middle. Two passes over the image.
/// </summary>
public static class HoleDistance
{
    /// <summary>
    /// Per pixel: 0 where known, else the chessboard distance to the nearest known pixel. With no known pixel at all,
    /// every hole pixel gets <c>int.MaxValue / 2</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The flags do not cover <paramref name="width"/> x <paramref name="height"/>.</exception>
    public static int[] Chessboard(ReadOnlySpan<bool> holes, int width, int height)
    {
        if (width < 1 || height < 1 || holes.Length < width * height)
            throw new ArgumentException($"the hole flags do not cover {width}x{height}", nameof(holes));
        const int Far = int.MaxValue / 2;
        var d = new int[width * height];
        for (int i = 0; i < d.Length; i++) d[i] = holes[i] ? Far : 0;
        Sweep(d, width, height, forward: true);
        Sweep(d, width, height, forward: false);
        return d;
    }

    /// <summary>The largest distance among <paramref name="distances"/> (0 when there is no hole).</summary>
    public static int Deepest(ReadOnlySpan<int> distances)
    {
        int deepest = 0;
        foreach (int v in distances) deepest = Math.Max(deepest, v);
        return deepest;
    }

    /// <summary>One raster pass: each pixel takes 1 + the least of its four already visited neighbours.</summary>
    private static void Sweep(int[] d, int width, int height, bool forward)
    {
        int step = forward ? 1 : -1;
        for (int row = 0; row < height; row++)
        {
            int y = forward ? row : height - 1 - row, py = y - step;
            for (int column = 0; column < width; column++)
            {
                int x = forward ? column : width - 1 - column, i = y * width + x;
                if (d[i] == 0) continue;
                int best = d[i];
                int px = x - step, nx = x + step;
                if (px >= 0 && px < width) best = Math.Min(best, d[i - step] + 1);
                if (py >= 0 && py < height)
                {
                    int above = py * width;
                    best = Math.Min(best, d[above + x] + 1);
                    if (px >= 0 && px < width) best = Math.Min(best, d[above + px] + 1);
                    if (nx >= 0 && nx < width) best = Math.Min(best, d[above + nx] + 1);
                }
                d[i] = best;
            }
        }
    }
}
