using Inpaint.Masks;
using Inpaint.Trainer.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Held-out crops for the freeform family: each validation photo is resized so its shorter side is twice the
/// tile, centre-cropped and cut into four tiles, and every tile gets one mask of each evaluated kind (centre,
/// square, freeform strokes, scratches, text) from the shared generators, seeded apart from training. Fixed for
/// the whole run, so validation numbers are comparable from step to step.
/// </summary>
public sealed class FreeformValidationSet
{
    /// <summary>The kinds validated, in report order: the ones <c>inpaint eval</c> reports.</summary>
    public static IReadOnlyList<MaskKind> Kinds => MaskKinds.Evaluated;

    /// <summary>Seed base of the validation masks; training masks come from other seeds.</summary>
    public const int MaskSeed = 0x7A11D;

    private FreeformValidationSet(int size, float[] real, int count)
    {
        ImageSize = size;
        Real = real;
        Tiles = count;
        Holes = new Dictionary<MaskKind, float[]>();
        foreach (MaskKind kind in Kinds)
        {
            var holes = new float[count * size * size];
            for (int t = 0; t < count; t++)
            {
                byte[] coverage = MaskGenerator.Coverage(kind, size, size, new Random(MaskSeed + 977 * t + (int)kind));
                for (int p = 0; p < coverage.Length; p++) holes[t * size * size + p] = coverage[p] >= MaskGenerator.HoleThreshold ? 1f : 0f;
            }
            Holes[kind] = holes;
        }
    }

    /// <summary>Tile side.</summary>
    public int ImageSize { get; }

    /// <summary>Tiles [N,3,S,S] in [-1, 1].</summary>
    public float[] Real { get; }

    /// <summary>Holes [N,1,S,S] per kind.</summary>
    public Dictionary<MaskKind, float[]> Holes { get; }

    /// <summary>Number of tiles (each measured once per kind).</summary>
    public int Tiles { get; }

    /// <summary>Builds the tiles; photos that fail to decode are skipped with a warning.</summary>
    public static FreeformValidationSet Build(IReadOnlyList<PhotoEntry> photos, PhotoCache cache, int size, Action<string>? warn = null)
    {
        var tiles = ValidationTiles.Cut(photos, cache, size, warn);
        return new FreeformValidationSet(size, tiles.SelectMany(x => x).ToArray(), tiles.Count);
    }
}
