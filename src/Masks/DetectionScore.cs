namespace Inpaint.Masks;

/// <summary>
/// Pixel counts of a detected damage mask against the true one, with a tolerance band: a pixel within
/// <see cref="Band"/> pixels of true damage (but not damage itself) counts neither way, since a detector that finds a
/// scratch one pixel wider than drawn has found it (and a repair grows its mask anyway).
/// </summary>
public sealed class DetectionScore
{
    /// <summary>The tolerance band around true damage, in pixels.</summary>
    public const int Band = 1;

    /// <summary>Damage pixels found.</summary>
    public long TruePositives { get; private set; }

    /// <summary>Pixels flagged that are neither damage nor in its band.</summary>
    public long FalsePositives { get; private set; }

    /// <summary>Damage pixels missed.</summary>
    public long FalseNegatives { get; private set; }

    /// <summary>Pixels counted (outside the band).</summary>
    public long Pixels { get; private set; }

    /// <summary>Of the pixels flagged, the share that is damage (1 when none was flagged).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Of the damage, the share found (1 when there was none).</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Of the pixels that are not damage, the share flagged (what a clean photo loses).</summary>
    public double FlaggedShare => Pixels - TruePositives - FalseNegatives == 0 ? 0 : (double)FalsePositives / (Pixels - TruePositives - FalseNegatives);

    /// <summary>Adds one image: <paramref name="truth"/> and <paramref name="detected"/>, width x height each.</summary>
    public void Add(ReadOnlySpan<bool> truth, ReadOnlySpan<bool> detected, int width, int height)
    {
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                if (truth[p])
                {
                    if (detected[p]) TruePositives++;
                    else FalseNegatives++;
                    Pixels++;
                }
                else if (!NearDamage(truth, x, y, width, height))
                {
                    if (detected[p]) FalsePositives++;
                    Pixels++;
                }
            }
    }

    /// <summary>Adds another score's counts.</summary>
    public void Add(DetectionScore other)
    {
        TruePositives += other.TruePositives;
        FalsePositives += other.FalsePositives;
        FalseNegatives += other.FalseNegatives;
        Pixels += other.Pixels;
    }

    private static bool NearDamage(ReadOnlySpan<bool> truth, int x, int y, int width, int height)
    {
        for (int dy = -Band; dy <= Band; dy++)
            for (int dx = -Band; dx <= Band; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < width && ny < height && truth[ny * width + nx]) return true;
            }
        return false;
    }
}
