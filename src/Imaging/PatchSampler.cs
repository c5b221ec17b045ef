namespace Inpaint.Imaging;

/// <summary>
/// Where the patch SWD takes its patches: a pixel of pyramid level k covers a 2^k x 2^k block of full-resolution pixels
/// (clipped at the image's edge) and can be a patch centre when at least half of that block is hole.
/// </summary>
internal static class PatchSampler
{
    /// <summary>
    /// Up to <paramref name="count"/> centres (pixel indices, row-major in level <paramref name="level"/>), drawn without
    /// replacement from the candidates by a partial Fisher-Yates shuffle seeded by the seed, the tile's index and the level
    /// alone, so truth and result, and every method on the same tiles, get the same centres.
    /// </summary>
    public static int[] Centres(bool[] holes, int width, int height, int level, int seed, int tileIndex, int count)
    {
        int[] candidates = Candidates(holes, width, height, level);
        int taken = Math.Min(count, candidates.Length);
        var random = SeededRandom.For(seed, RandomStream.Centres, tileIndex, level);
        for (int i = 0; i < taken; i++)
        {
            int j = i + random.NextInt(candidates.Length - i);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }
        return candidates[..taken];
    }

    private static int[] Candidates(bool[] holes, int width, int height, int level)
    {
        int levelWidth = LaplacianPyramid.LevelSize(width, level), levelHeight = LaplacianPyramid.LevelSize(height, level);
        var candidates = new List<int>();
        for (int y = 0; y < levelHeight; y++)
            for (int x = 0; x < levelWidth; x++)
                if (MostlyHole(holes, width, height, level, x, y)) candidates.Add(y * levelWidth + x);
        return [.. candidates];
    }

    private static bool MostlyHole(bool[] holes, int width, int height, int level, int x, int y)
    {
        int left = x << level, top = y << level;
        int right = Math.Min(left + (1 << level), width), bottom = Math.Min(top + (1 << level), height);
        int hole = 0;
        for (int v = top; v < bottom; v++)
            for (int u = left; u < right; u++)
                if (holes[v * width + u]) hole++;
        // Coverage >= 0.5 in integers, so no rounding decides a borderline block.
        return 2 * hole >= (right - left) * (bottom - top);
    }
}
