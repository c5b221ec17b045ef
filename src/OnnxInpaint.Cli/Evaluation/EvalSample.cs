using Inpaint.Imaging;
using Inpaint.Masks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Size = SixLabors.ImageSharp.Size;

namespace Inpaint.Cli.Evaluation;

/// <summary>
/// One scored case of <c>inpaint eval</c>: a whole photo (interleaved RGB), its holes, and the rectangle that is scored
/// (a tile, or the whole photo with a user's mask). Every method repairs the whole photo, so windows near the tile's
/// edge see the real photo around it.
/// </summary>
/// <param name="Photo">The photo's path.</param>
/// <param name="Tile">The tile's index in the photo's 2x2 grid (0 for a user's mask).</param>
/// <param name="Truth">The undamaged photo, interleaved RGB.</param>
/// <param name="Holes">The holes, row-major.</param>
/// <param name="Width">The photo's width.</param>
/// <param name="Height">The photo's height.</param>
/// <param name="Score">The part that is scored.</param>
internal sealed record EvalSample(string Photo, int Tile, byte[] Truth, bool[] Holes, int Width, int Height, Rectangle Score)
{
    /// <summary>The input every method gets: the truth with hole pixels whitened (the damage).</summary>
    public byte[] Damaged()
    {
        var rgb = (byte[])Truth.Clone();
        for (int i = 0; i < Holes.Length; i++)
            if (Holes[i]) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 255;
        return rgb;
    }

    /// <summary>The scored rectangle of a whole-photo RGB array.</summary>
    public byte[] Scored(byte[] rgb)
    {
        var result = new byte[3 * Score.Width * Score.Height];
        for (int y = 0; y < Score.Height; y++)
            Array.Copy(rgb, 3 * ((Score.Y + y) * Width + Score.X), result, 3 * y * Score.Width, 3 * Score.Width);
        return result;
    }

    /// <summary>The holes inside the scored rectangle.</summary>
    public bool[] ScoredHoles()
    {
        var result = new bool[Score.Width * Score.Height];
        for (int y = 0; y < Score.Height; y++)
            Array.Copy(Holes, (Score.Y + y) * Width + Score.X, result, y * Score.Width, Score.Width);
        return result;
    }

    /// <summary>The share of the scored rectangle that is hole.</summary>
    public double HoleShare() => ScoredHoles().Count(h => h) / (double)(Score.Width * Score.Height);
}

/// <summary>Where eval's samples come from: generated masks on a 2x2 grid of tiles per photo, or a folder of the user's masks.</summary>
internal static class EvalSamples
{
    /// <summary>The photos of a folder, searched recursively, in path order; at most <paramref name="limit"/> (0: all).</summary>
    public static List<string> Photos(string folder, int limit)
    {
        var photos = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        return limit > 0 ? photos.Take(limit).ToList() : photos;
    }

    /// <summary>
    /// Each photo resized so its shorter side is twice the tile; the centred square of that side holds a 2x2 grid of
    /// tiles, and each tile gets a seeded mask of <paramref name="kind"/> at its place in the whole photo.
    /// </summary>
    public static List<EvalSample> Tiles(List<string> photos, MaskKind kind, int tile, int seed)
    {
        var files = new PhotoFile();
        var samples = new List<EvalSample>();
        for (int p = 0; p < photos.Count; p++)
        {
            using Image<Rgba32> photo = files.Read(photos[p]);
            double scale = 2.0 * tile / Math.Min(photo.Width, photo.Height);
            int w = Math.Max(2 * tile, (int)Math.Round(photo.Width * scale)), h = Math.Max(2 * tile, (int)Math.Round(photo.Height * scale));
            photo.Mutate(c => c.Resize(new ResizeOptions { Size = new Size(w, h), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Bicubic }));
            byte[] rgb = QualityMetrics.Rgb(photo);
            CenterSquare grid = CenterSquare.In(w, h, 2 * tile);
            for (int t = 0; t < 4; t++)
            {
                var score = new Rectangle(grid.Left + t % 2 * tile, grid.Top + t / 2 * tile, tile, tile);
                // Seeded by the run's seed, the photo, the tile and the kind: the same folder and seed give the same masks.
                bool[] tileHoles = MaskGenerator.Holes(kind, tile, tile, new Random(seed * 7919 + p * 4 + t + 1_000_003 * (int)kind));
                if (!tileHoles.Contains(true)) continue;
                var holes = new bool[w * h];
                for (int y = 0; y < tile; y++)
                    for (int x = 0; x < tile; x++)
                        holes[(score.Y + y) * w + score.X + x] = tileHoles[y * tile + x];
                samples.Add(new EvalSample(photos[p], t, rgb, holes, w, h, score));
            }
        }
        return samples;
    }

    /// <summary>Whole photos with the user's masks, matched by file name; photos whose mask has no hole are left out.</summary>
    public static List<EvalSample> FromFolder(List<string> photos, string maskFolder)
    {
        var files = new PhotoFile();
        var maskByName = Directory.EnumerateFiles(maskFolder).GroupBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal)
            .ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        var samples = new List<EvalSample>();
        foreach (string path in photos)
        {
            if (!maskByName.TryGetValue(Path.GetFileNameWithoutExtension(path), out string? maskPath)) throw new UserError($"no mask named like '{Path.GetFileName(path)}' in '{maskFolder}'");
            using Image<Rgba32> photo = files.Read(path);
            using Image<Rgba32> maskImage = files.Read(maskPath);
            bool[] holes = Holes(maskImage, photo, maskPath);
            if (!holes.Contains(true)) continue;
            if (!holes.Contains(false)) throw new UserError($"'{maskPath}' marks every pixel of '{Path.GetFileName(path)}' as a hole: no known pixel is left to repair from");
            samples.Add(new EvalSample(path, 0, QualityMetrics.Rgb(photo), holes, photo.Width, photo.Height, new Rectangle(0, 0, photo.Width, photo.Height)));
        }
        return samples;
    }

    private static bool[] Holes(Image<Rgba32> mask, Image<Rgba32> photo, string maskPath)
    {
        try
        {
            return MaskRule.Read(mask, photo.Width, photo.Height).Holes;
        }
        catch (MaskSizeException e)
        {
            throw new UserError($"'{maskPath}': {e.Message}", e);
        }
    }
}
