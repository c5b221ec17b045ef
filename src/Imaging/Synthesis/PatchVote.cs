namespace Inpaint.Imaging.Synthesis;

/// <summary>
/// The reconstruction step of Wexler et al. (2007): every hole pixel becomes the weighted mean of what the patches
/// covering it say (each target's matched source patch, shifted to the pixel), a patch weighing
/// <c>exp(-(cost - least covering cost) / (2 sigma^2))</c> with sigma^2 a quantile of all costs, so good matches dominate and the fill stays
/// sharp where the matches agree.
/// </summary>
internal static class PatchVote
{
    /// <summary>The level's colours with every hole pixel voted (interleaved RGB); known pixels keep their own.</summary>
    /// <param name="level">The level.</param>
    /// <param name="field">Its nearest-neighbour field.</param>
    /// <param name="percentile">Which cost sets sigma^2 (0..1): lower values weigh the best matches more.</param>
    public static float[] Vote(SynthesisLevel level, PatchField field, float percentile)
    {
        float twoSigma2 = 2 * Sigma2(field.Cost, percentile);
        float[] rgb = level.Colours();
        int w = level.Width, h = level.Height;
        Parallel.For(0, h, y =>
        {
            Span<int> covering = stackalloc int[(2 * level.Radius + 1) * (2 * level.Radius + 1)];
            for (int x = 0; x < w; x++)
                if (level.Holes[y * w + x]) VotePixel(level, field, twoSigma2, rgb, x, y, covering);
        });
        return rgb;
    }

    /// <summary>
    /// One hole pixel: the covering patches weigh <c>exp(-(cost - least cost) / (2 sigma^2))</c>, relative to the best
    /// of them, so a pixel whose matches are all poor still follows its best one instead of averaging them all.
    /// </summary>
    private static void VotePixel(SynthesisLevel level, PatchField field, float twoSigma2, float[] rgb, int x, int y, Span<int> covering)
    {
        int w = level.Width, h = level.Height, r = level.Radius, n = 0;
        float least = float.PositiveInfinity;
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++)
            {
                int cx = x - dx, cy = y - dy;
                if ((uint)cx >= (uint)w || (uint)cy >= (uint)h) continue;
                int t = level.TargetOf[cy * w + cx];
                if (t < 0) continue;
                covering[n++] = (dy + r) * (2 * r + 1) + dx + r;
                least = MathF.Min(least, field.Cost[t]);
            }
        float sr = 0, sg = 0, sb = 0, total = 0;
        for (int k = 0; k < n; k++)
        {
            int dy = covering[k] / (2 * r + 1) - r, dx = covering[k] % (2 * r + 1) - r;
            int t = level.TargetOf[(y - dy) * w + x - dx];
            int s = SynthesisLevel.Stride * (field.Match[t] + dy * w + dx);
            float weight = twoSigma2 > 0 ? MathF.Exp(-(field.Cost[t] - least) / twoSigma2) : 1f;
            sr += weight * level.Features[s];
            sg += weight * level.Features[s + 1];
            sb += weight * level.Features[s + 2];
            total += weight;
        }
        if (total <= 0) return;
        int o = 3 * (y * w + x);
        rgb[o] = sr / total;
        rgb[o + 1] = sg / total;
        rgb[o + 2] = sb / total;
    }

    /// <summary>The cost at the given quantile of all targets' costs.</summary>
    private static float Sigma2(float[] costs, float percentile)
    {
        if (costs.Length == 0) return 0;
        float[] sorted = (float[])costs.Clone();
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)(percentile * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }
}
