namespace Inpaint.Imaging;

/// <summary>
/// How <see cref="PatchSynthesis"/> copies texture into a hole: the patch, the pull of the guide, the pyramid and the
/// work per level. The defaults are the ones the repairer uses; every value is checked by <see cref="Validate"/>.
/// </summary>
public sealed record PatchSynthesisOptions
{
    /// <summary>Side of the square patches compared and copied, odd (7: Wexler et al.'s size).</summary>
    public int PatchSize { get; init; } = 7;

    /// <summary>
    /// Weight of the guide's low-pass in the patch distance at the coarsest level, against the colours themselves: 0
    /// copies whatever texture fits the hole's edges best (on photos, mostly flat areas); larger values keep the
    /// guide's large-scale structure (its colours and shapes).
    /// </summary>
    public float GuideWeight { get; init; } = 1f;

    /// <summary>
    /// Factor on the guide's weight per finer level (1: the same at every level). Below 1, the structure comes from the
    /// guide at the coarse levels, where it is reliable, and the fine levels choose texture by the colours alone.
    /// </summary>
    public float GuideDecay { get; init; } = 0.25f;

    /// <summary>
    /// Which match cost (as a quantile of all, 0..1) sets the width of the vote's weights: small values let the best
    /// match covering a pixel decide (sharp, the default), large ones average the covering patches (smooth).
    /// </summary>
    public float VoteSharpness { get; init; } = 0.02f;

    /// <summary>Radius, in pixels of each level, of the blur that makes the guide's low-pass.</summary>
    public int GuideBlur { get; init; } = 2;

    /// <summary>Search-and-vote rounds at the coarsest level; each finer level does half as many, at least <see cref="FinestIterations"/>.</summary>
    public int CoarsestIterations { get; init; } = 8;

    /// <summary>Search-and-vote rounds at full resolution (the costliest level).</summary>
    public int FinestIterations { get; init; } = 2;

    /// <summary>The pyramid stops halving when a hole pixel is at most this many patches from the hole's edge, or the image gets smaller than 4 patches.</summary>
    public int CoarsestDepthInPatches { get; init; } = 1;

    /// <summary>Throws when a value is out of its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range.</exception>
    public void Validate()
    {
        if (PatchSize is < 3 or > 31 || PatchSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(PatchSize), $"the patch size must be odd, 3 to 31; got {PatchSize}");
        if (!(GuideWeight >= 0 && GuideWeight <= 100)) throw new ArgumentOutOfRangeException(nameof(GuideWeight), $"the guide weight must be 0 to 100; got {GuideWeight}");
        if (!(GuideDecay > 0 && GuideDecay <= 1)) throw new ArgumentOutOfRangeException(nameof(GuideDecay), $"the guide decay must be in (0, 1]; got {GuideDecay}");
        if (!(VoteSharpness >= 0 && VoteSharpness <= 1)) throw new ArgumentOutOfRangeException(nameof(VoteSharpness), $"the vote sharpness must be 0 to 1; got {VoteSharpness}");
        if (GuideBlur is < 0 or > 16) throw new ArgumentOutOfRangeException(nameof(GuideBlur), $"the guide blur must be 0 to 16; got {GuideBlur}");
        if (CoarsestIterations is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(CoarsestIterations), $"must be 1 to 100; got {CoarsestIterations}");
        if (FinestIterations is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(FinestIterations), $"must be 1 to 100; got {FinestIterations}");
        if (CoarsestDepthInPatches is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(CoarsestDepthInPatches), $"must be 1 to 16; got {CoarsestDepthInPatches}");
    }
}
