using Inpaint.Imaging.Synthesis;

namespace Inpaint.Imaging;

/// <summary>
/// Fills holes with texture copied from the image's own known pixels, guided by a smooth fill: multi-scale
/// PatchMatch synthesis (Wexler et al. 2007, "Space-Time Completion of Video"; Barnes et al. 2009, "PatchMatch").
/// Coarse to fine, every patch that touches a hole is matched to the most similar patch made only of known pixels,
/// and each hole pixel becomes the weighted vote of the patches that cover it. The distance compares colours and
/// also the guide's low-pass (<see cref="PatchSynthesisOptions.GuideWeight"/>), so the copied texture follows the
/// large-scale structure of the guide (the network's repair) instead of whatever patch happens to fit. Known pixels
/// are never written. Deterministic for a seed, whatever the number of threads.
/// </summary>
public sealed class PatchSynthesis
{
    private readonly PatchSynthesisOptions options;

    /// <summary>Creates the synthesis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option out of range.</exception>
    public PatchSynthesis(PatchSynthesisOptions? options = null)
    {
        this.options = options ?? new PatchSynthesisOptions();
        this.options.Validate();
    }

    /// <summary>
    /// Replaces the hole pixels of <paramref name="guide"/> (interleaved RGB 0..255: the photo where known, a smooth
    /// fill in the holes) with synthesised texture, in place. Returns false, leaving the guide as it was, when no patch
    /// of known pixels exists to copy from (the image is smaller than a patch or holes leave no whole patch).
    /// </summary>
    /// <param name="guide">Interleaved RGB, <paramref name="width"/> x <paramref name="height"/>; overwritten in the holes.</param>
    /// <param name="holes">True where a pixel is to be synthesised.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="seed">The seed of the random search: another seed gives another plausible fill.</param>
    /// <param name="cancellation">Checked between rounds.</param>
    /// <exception cref="ArgumentException">The buffers do not cover the size.</exception>
    public bool Fill(float[] guide, bool[] holes, int width, int height, int seed, CancellationToken cancellation = default)
    {
        if (width < 1 || height < 1 || guide.Length < 3 * width * height || holes.Length < width * height)
            throw new ArgumentException($"the buffers do not cover {width}x{height}");
        int r = options.PatchSize / 2;
        int deepest = HoleDistance.Deepest(HoleDistance.Chessboard(holes, width, height));
        if (deepest == 0) return true;
        int levels = SynthesisPyramid.Levels(deepest, width, height, options.CoarsestDepthInPatches * options.PatchSize, options.PatchSize);
        var pyramid = SynthesisPyramid.Build(guide, holes, width, height, levels);
        float[]? result = null;
        PatchField? field = null;
        for (int l = levels - 1; l >= 0; l--)
        {
            var (colours, levelHoles, w, h) = pyramid[l];
            var level = new SynthesisLevel(colours, levelHoles, w, h, r, options with { GuideWeight = GuideWeightAt(l, levels) });
            if (level.Sources.Length == 0) return false;
            if (result is not null) level.SetHoleColours(SynthesisPyramid.Double(result, pyramid[l + 1].Width, pyramid[l + 1].Height, w, h));
            int levelSeed = unchecked(seed * 7919 + l * 104729);
            if (field is null)
            {
                OnionPeel.Fill(level, levelSeed);
                field = PatchField.Random(level, levelSeed);
            }
            else
            {
                // The doubled field first votes with this level's own pixels: sharper than the doubled colours.
                field = PatchField.Upsample(field, level, levelSeed);
                level.SetHoleColours(PatchVote.Vote(level, field, options.VoteSharpness));
                field.Measure();
            }
            result = Rounds(level, field, Iterations(l, levels), coarsest: l == levels - 1, levelSeed, cancellation);
        }
        for (int i = 0; i < width * height; i++)
            if (holes[i])
                for (int c = 0; c < 3; c++) guide[3 * i + c] = result![3 * i + c];
        return true;
    }

    /// <summary>
    /// Search-and-vote rounds at one level; returns its colours. The coarsest level searches the whole level twice a
    /// round; finer levels start from the doubled field, so one pass a round within a few patches of each match does.
    /// </summary>
    private float[] Rounds(SynthesisLevel level, PatchField field, int rounds, bool coarsest, int seed, CancellationToken cancellation)
    {
        float[] colours = level.Colours();
        int reach = coarsest ? Math.Max(level.Width, level.Height) : 4 * options.PatchSize;
        for (int k = 0; k < rounds; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            field.Search(unchecked(seed + 1 + 2 * k), forward: k % 2 == 0, reach);
            if (coarsest) field.Search(unchecked(seed + 2 + 2 * k), forward: k % 2 != 0, reach);
            colours = PatchVote.Vote(level, field, options.VoteSharpness);
            level.SetHoleColours(colours);
            if (k < rounds - 1) field.Measure(); // after the last round the next level measures its own field
        }
        return colours;
    }

    /// <summary>The guide's weight at level <paramref name="l"/>: full at the coarsest, times <see cref="PatchSynthesisOptions.GuideDecay"/> per finer level.</summary>
    private float GuideWeightAt(int l, int levels) => options.GuideWeight * MathF.Pow(options.GuideDecay, levels - 1 - l);

    /// <summary>Rounds at level <paramref name="l"/> of <paramref name="levels"/> (0 = full resolution).</summary>
    private int Iterations(int l, int levels)
    {
        int fromTop = levels - 1 - l;
        return Math.Max(options.FinestIterations, options.CoarsestIterations >> fromTop);
    }
}
