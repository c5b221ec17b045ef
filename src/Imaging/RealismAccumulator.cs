namespace Inpaint.Imaging;

/// <summary>
/// Two realism measures of inpainted results, pooled over the tiles of one kind of damage: the <b>texture ratio</b>
/// (does the fill carry as much fine detail as the truth?) and the <b>patch SWD</b> (are the fill's local patches, at
/// three scales, distributed like the truth's?). Pixel measures such as hole-PSNR reward a blurred fill that lands near
/// the average of what could be there; these do not. Definitions and how to read them: docs/quality.md.
/// </summary>
/// <remarks>
/// <para>Images are interleaved 8-bit RGB, row-major; <c>holes</c> is row-major, <see langword="true"/> for a hole pixel.</para>
/// <para>
/// <b>Texture ratio</b>: the squared forward gradient of BT.601 luma (0..1 scale) summed over the hole pixels eroded by
/// 2 px (a 5x5 square; pixels within 2 px of the border never count), result over truth. Both sums are pooled over all
/// tiles before dividing, so a kind's ratio is sum(result) / sum(truth), not a mean of tile ratios. A flat fill scores 0,
/// the truth 1; below 1 is too smooth (blur), above 1 too busy (noise, ringing). NaN while the truth's sum is 0 (holes
/// thinner than 5 px everywhere, or no detail in them).
/// </para>
/// <para>
/// <b>Patch SWD</b> (Karras et al. 2018, "Progressive growing of GANs", section 5, restricted to the holes): a 3-level
/// Laplacian pyramid of each image (binomial reduce, bilinear expand); at each level, up to <c>patchesPerTile</c> 7x7
/// patch centres per tile whose 2^k x 2^k block is at least half hole, drawn by a generator seeded by (seed, tile index,
/// level) and shared by truth and result; per level the patches of all tiles are pooled, normalised per channel by the
/// truth's mean and standard deviation, and compared by the sliced Wasserstein distance over <c>directions</c> random
/// directions seeded by (seed, level). <see cref="PatchSwd"/> is 1000 x the mean over the levels that got patches.
/// Identical images score 0; a flat fill of a noisy texture about 600. Two samples of the same texture do not score 0:
/// with 128 patches a level from one tile the floor is about 180, shrinking as 1/sqrt(patches), so compare methods
/// only on the same tiles with the same settings.
/// </para>
/// <para>
/// Cost: <see cref="Add"/> is linear in the tile (about 5 ms for 128x128) and keeps 2 x 3 x <c>patchesPerTile</c>
/// descriptors of 147 floats (about 450 KB a tile at the defaults). The first read of <see cref="PatchSwd"/> after an
/// <see cref="Add"/> costs 2 x <c>directions</c> x N x 147 multiply-adds and 2 x <c>directions</c> sorts of N floats per
/// level with N pooled patches, spread over the cores (about 3 s of CPU for 200 tiles with 64x64 holes), then is cached.
/// Not thread-safe.
/// </para>
/// </remarks>
public sealed class RealismAccumulator
{
    /// <summary>The Laplacian pyramid's levels.</summary>
    public const int Levels = 3;

    /// <summary>The default of the most patch centres drawn per tile and level.</summary>
    public const int DefaultPatchesPerTile = 128;

    /// <summary>The default of the random projection directions per level.</summary>
    public const int DefaultDirections = 512;

    /// <summary>The factor <see cref="PatchSwd"/> reports the distance in (Karras et al.'s tables report SWD x 10^3).</summary>
    public const int SwdScale = 1000;

    private readonly PatchDescriptors[] truthPatches = NewLevels();
    private readonly PatchDescriptors[] resultPatches = NewLevels();
    private double truthEnergy, resultEnergy;
    private double[]? levelDistances;

    /// <summary>An empty accumulator.</summary>
    /// <param name="seed">Seeds the patch centres and the projection directions: the same seed and the same tiles in the same order give the same values.</param>
    /// <param name="patchesPerTile">The most patch centres drawn per tile and pyramid level.</param>
    /// <param name="directions">Random projection directions per pyramid level.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patchesPerTile"/> or <paramref name="directions"/> is not positive.</exception>
    public RealismAccumulator(int seed = 1, int patchesPerTile = DefaultPatchesPerTile, int directions = DefaultDirections)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchesPerTile);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(directions);
        Seed = seed;
        PatchesPerTile = patchesPerTile;
        Directions = directions;
    }

    /// <summary>The seed of the patch centres and the directions.</summary>
    public int Seed { get; }

    /// <summary>The most patch centres per tile and level.</summary>
    public int PatchesPerTile { get; }

    /// <summary>Projection directions per level.</summary>
    public int Directions { get; }

    /// <summary>Tiles added so far.</summary>
    public int Tiles { get; private set; }

    /// <summary>
    /// The pooled texture ratio, sum of the result's squared luma gradient over the 2-px-eroded holes over the truth's:
    /// 0 for a flat fill, 1 for the truth; NaN while the truth has no detail there.
    /// </summary>
    public double TextureRatio => truthEnergy > 0 ? resultEnergy / truthEnergy : double.NaN;

    /// <summary>
    /// 1000 x the patch sliced Wasserstein distance between results and truths, averaged over the pyramid levels that
    /// received patches: 0 for identical images, higher is less like the truth; NaN before the first tile.
    /// </summary>
    public double PatchSwd
    {
        get
        {
            double[] levels = LevelDistances().Where(d => !double.IsNaN(d)).ToArray();
            return levels.Length == 0 ? double.NaN : SwdScale * levels.Average();
        }
    }

    /// <summary>Adds one tile: its truth, the inpainted result and the holes they share.</summary>
    /// <param name="truth">The ground truth, interleaved RGB, 3 x <paramref name="width"/> x <paramref name="height"/> bytes.</param>
    /// <param name="result">The inpainted image, the same layout.</param>
    /// <param name="holes">The holes, <paramref name="width"/> x <paramref name="height"/>, <see langword="true"/> = hole.</param>
    /// <param name="width">The tile's width.</param>
    /// <param name="height">The tile's height.</param>
    /// <exception cref="ArgumentNullException">An array is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    /// <exception cref="ArgumentException">An array's length does not match the size, or the tile has no hole pixel.</exception>
    public void Add(byte[] truth, byte[] result, bool[] holes, int width, int height)
    {
        Validate(truth, result, holes, width, height);
        var (t, r) = TextureEnergy.Measure(truth, result, holes, width, height);
        truthEnergy += t;
        resultEnergy += r;
        RgbPlane[] truthPyramid = LaplacianPyramid.Build(truth, width, height, Levels);
        RgbPlane[] resultPyramid = LaplacianPyramid.Build(result, width, height, Levels);
        for (int level = 0; level < Levels; level++)
        {
            int[] centres = PatchSampler.Centres(holes, width, height, level, Seed, Tiles, PatchesPerTile);
            truthPatches[level].Append(truthPyramid[level], centres);
            resultPatches[level].Append(resultPyramid[level], centres);
        }
        Tiles++;
        levelDistances = null;
    }

    /// <summary>The unscaled SWD of each level (NaN for a level without patches), cached until the next <see cref="Add"/>.</summary>
    internal double[] LevelDistances() => levelDistances ??= Enumerable.Range(0, Levels).Select(level => truthPatches[level].Count == 0
        ? double.NaN
        : SlicedWasserstein.Distance(truthPatches[level], resultPatches[level], SlicedWasserstein.Directions(Seed, level, Directions))).ToArray();

    private static PatchDescriptors[] NewLevels() => Enumerable.Range(0, Levels).Select(_ => new PatchDescriptors()).ToArray();

    private static void Validate(byte[] truth, byte[] result, bool[] holes, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(holes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long pixels = (long)width * height;
        if (truth.Length != 3 * pixels)
            throw new ArgumentException($"the truth has {truth.Length} bytes, not the {3 * pixels} of a {width}x{height} RGB tile", nameof(truth));
        if (result.Length != 3 * pixels)
            throw new ArgumentException($"the result has {result.Length} bytes, not the {3 * pixels} of a {width}x{height} RGB tile", nameof(result));
        if (holes.Length != pixels)
            throw new ArgumentException($"the mask has {holes.Length} flags, not the {pixels} of a {width}x{height} tile", nameof(holes));
        if (Array.IndexOf(holes, true) < 0)
            throw new ArgumentException("the mask has no hole pixel: there is no fill to measure", nameof(holes));
    }
}
