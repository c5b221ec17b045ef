using System.Diagnostics;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The freeform family's strategy. The model takes any mask at any size, so the photo is repaired at its own
/// scale: it is divided into a grid of cells, and every cell that holds hole pixels is run as one tile (the cell
/// plus a margin of known context on each side, the real mask, every hole in it) — many small holes in a cell share
/// one tile. Tiles have one size, so they are batched; overlapping tiles blend over the feather width, and only
/// hole pixels are written. Holes too large for a tile (pixels farther from any known pixel than half a cell) are
/// first repaired on a half-size copy of the photo (recursively); at full scale those deep pixels take the
/// upsampled coarse repair and count as known, and the tiles refine the band between them and the real context.
/// Memory beyond the input and output images: one byte of blend weight and a few bytes of flags per pixel.
/// </summary>
internal sealed class FreeformStrategy : IRepairStrategy
{
    // Deeper than this many halvings a photo is a few pixels: nothing is left to coarsen.
    private const int MaxDepth = 12;

    private readonly IInpaintRunner model;
    private readonly RepairOptions options;

    public FreeformStrategy(IInpaintRunner model, RepairOptions options)
    {
        this.model = model;
        this.options = options;
    }

    /// <summary>Tile side and context margin this strategy uses.</summary>
    public (int Tile, int Context) Geometry()
    {
        int tile = options.Tile > 0 ? options.Tile : 2 * model.Contract.ImageSize;
        int context = options.Context > 0 ? options.Context : model.Contract.Context;
        // Keep a core of at least a quarter of the tile.
        context = Math.Clamp(context, 0, (tile - Math.Max(8, tile / 4)) / 2);
        return (tile, context);
    }

    public Image<Rgba32> Repair(Image<Rgba32> photo, bool[] holes, out RepairReport report, IProgress<RepairProgress>? progress, CancellationToken cancellation)
    {
        var stats = new RepairStatistics();
        var output = photo.Clone();
        int count = 0;
        foreach (bool h in holes) if (h) count++;
        if (count > 0) RepairLevel(output, holes, stats, depth: 0, progress, cancellation);
        report = stats.Report(count);
        return output;
    }

    /// <summary>Repairs the hole pixels of <paramref name="image"/> in place (its known pixels are the context).</summary>
    private void RepairLevel(Image<Rgba32> image, bool[] holes, RepairStatistics stats, int depth, IProgress<RepairProgress>? progress, CancellationToken cancellation)
    {
        var timer = Stopwatch.StartNew();
        var grid = new FreeformTileGrid(image.Width, image.Height, Geometry());
        bool[]? deep = DeepHoles(image.Width, image.Height, holes, grid, depth);
        if (deep is not null)
        {
            stats.Scales = Math.Max(stats.Scales, depth + 2);
            stats.Planning += timer.Elapsed;
            FillFromCoarse(image, holes, deep, stats, depth, progress, cancellation);
            timer.Restart();
        }
        var cells = grid.CellsWithHoles(holes, deep);
        stats.Tiles += cells.Count;
        stats.Planning += timer.Elapsed;
        var io = new FreeformTiles(image, holes, deep, grid, options.Feather);
        int batch = options.BatchSize > 0 ? options.BatchSize : model.PreferredBatchSize;
        TileLoop.Run(model, cells, grid.TileHeight, grid.TileWidth, batch, io, stats, progress, cancellation);
    }

    /// <summary>
    /// Hole pixels farther than half a cell from every known pixel, which need a coarser view first; null when there
    /// are none, or when the image is too small (or the recursion too deep) to coarsen further.
    /// </summary>
    private bool[]? DeepHoles(int width, int height, bool[] holes, FreeformTileGrid grid, int depth)
    {
        if (depth >= MaxDepth || Math.Min(width, height) < 2 * model.Contract.MinSize) return null;
        var known = new bool[holes.Length];
        for (int i = 0; i < holes.Length; i++) known[i] = !holes[i];
        bool[] near = Morphology.Dilate(known, width, height, Math.Max(1, Math.Min(grid.CoreWidth, grid.CoreHeight) / 2));
        bool[]? deep = null;
        for (int i = 0; i < holes.Length; i++)
            if (holes[i] && !near[i])
            {
                deep ??= new bool[holes.Length];
                deep[i] = true;
            }
        return deep;
    }

    /// <summary>
    /// Repairs a half-size copy of the photo (a coarse pixel is a hole only where all four below it are) and writes its
    /// bilinear upsampling into the deep hole pixels.
    /// </summary>
    private void FillFromCoarse(Image<Rgba32> image, bool[] holes, bool[] deep, RepairStatistics stats, int depth, IProgress<RepairProgress>? progress,
        CancellationToken cancellation)
    {
        using var coarse = HalfSize(image, holes, out bool[] coarseHoles);
        RepairLevel(coarse, coarseHoles, stats, depth + 1, progress, cancellation);
        Upsample(coarse, image, deep);
    }

    /// <summary>The mean of each 2x2 block's known pixels; a block with none is a hole of the half-size copy.</summary>
    private static Image<Rgba32> HalfSize(Image<Rgba32> image, bool[] holes, out bool[] coarseHoles)
    {
        int width = image.Width, height = image.Height, cw = (width + 1) / 2, ch = (height + 1) / 2;
        coarseHoles = new bool[cw * ch];
        var coarse = new Image<Rgba32>(cw, ch);
        for (int y = 0; y < ch; y++)
        {
            Span<Rgba32> target = coarse.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < cw; x++)
            {
                int r = 0, g = 0, b = 0, known = 0;
                for (int sy = 2 * y; sy < Math.Min(height, 2 * y + 2); sy++)
                {
                    ReadOnlySpan<Rgba32> row = image.DangerousGetPixelRowMemory(sy).Span;
                    for (int sx = 2 * x; sx < Math.Min(width, 2 * x + 2); sx++)
                    {
                        if (holes[sy * width + sx]) continue;
                        r += row[sx].R; g += row[sx].G; b += row[sx].B;
                        known++;
                    }
                }
                coarseHoles[y * cw + x] = known == 0;
                target[x] = known == 0 ? new Rgba32(0, 0, 0, 255) : new Rgba32((byte)((r + known / 2) / known), (byte)((g + known / 2) / known), (byte)((b + known / 2) / known), 255);
            }
        }
        return coarse;
    }

    /// <summary>Writes the bilinear upsampling of <paramref name="coarse"/> into the <paramref name="deep"/> pixels of <paramref name="image"/>.</summary>
    private static void Upsample(Image<Rgba32> coarse, Image<Rgba32> image, bool[] deep)
    {
        int width = image.Width, height = image.Height, cw = coarse.Width, ch = coarse.Height;
        for (int y = 0; y < height; y++)
        {
            Span<Rgba32> row = image.DangerousGetPixelRowMemory(y).Span;
            float v = Math.Clamp((y + 0.5f) / 2f - 0.5f, 0, ch - 1);
            int v0 = (int)v, v1 = Math.Min(v0 + 1, ch - 1);
            float fv = v - v0;
            ReadOnlySpan<Rgba32> a = coarse.DangerousGetPixelRowMemory(v0).Span, c = coarse.DangerousGetPixelRowMemory(v1).Span;
            for (int x = 0; x < width; x++)
            {
                if (!deep[y * width + x]) continue;
                float u = Math.Clamp((x + 0.5f) / 2f - 0.5f, 0, cw - 1);
                int u0 = (int)u, u1 = Math.Min(u0 + 1, cw - 1);
                float fu = u - u0;
                byte Lerp(byte p00, byte p01, byte p10, byte p11) =>
                    PixelRounding.ToByte((p00 * (1 - fu) + p01 * fu) * (1 - fv) + (p10 * (1 - fu) + p11 * fu) * fv);
                row[x] = new Rgba32(Lerp(a[u0].R, a[u1].R, c[u0].R, c[u1].R), Lerp(a[u0].G, a[u1].G, c[u0].G, c[u1].G),
                    Lerp(a[u0].B, a[u1].B, c[u0].B, c[u1].B), row[x].A);
            }
        }
    }
}
