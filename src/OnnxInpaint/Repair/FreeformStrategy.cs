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
        var grid = new TileGrid(image.Width, image.Height, Geometry());
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
        var io = new Tiles(image, holes, deep, grid, options.Feather);
        int batch = options.BatchSize > 0 ? options.BatchSize : model.PreferredBatchSize;
        TileLoop.Run(model, cells, grid.TileHeight, grid.TileWidth, batch, io, stats, progress, cancellation);
    }

    /// <summary>
    /// Hole pixels farther than half a cell from every known pixel, which need a coarser view first; null when there
    /// are none, or when the image is too small (or the recursion too deep) to coarsen further.
    /// </summary>
    private bool[]? DeepHoles(int width, int height, bool[] holes, TileGrid grid, int depth)
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

    /// <summary>The grid of one scale: tiles of one size (the photo's own when it is smaller), cores and context margins.</summary>
    private sealed class TileGrid
    {
        private readonly int width, height, context;

        public TileGrid(int width, int height, (int Tile, int Context) geometry)
        {
            this.width = width;
            this.height = height;
            context = geometry.Context;
            TileWidth = Math.Min(geometry.Tile, width);
            TileHeight = Math.Min(geometry.Tile, height);
            CoreWidth = width <= geometry.Tile ? width : geometry.Tile - 2 * context;
            CoreHeight = height <= geometry.Tile ? height : geometry.Tile - 2 * context;
        }

        public int TileWidth { get; }
        public int TileHeight { get; }
        public int CoreWidth { get; }
        public int CoreHeight { get; }

        /// <summary>The cells that hold hole pixels the tiles must fill (not deep ones), row by row.</summary>
        public List<Rectangle> CellsWithHoles(bool[] holes, bool[]? deep)
        {
            int columns = (width + CoreWidth - 1) / CoreWidth, rows = (height + CoreHeight - 1) / CoreHeight;
            var cells = new List<Rectangle>();
            for (int cy = 0; cy < rows; cy++)
                for (int cx = 0; cx < columns; cx++)
                {
                    var cell = new Rectangle(cx * CoreWidth, cy * CoreHeight, Math.Min(CoreWidth, width - cx * CoreWidth), Math.Min(CoreHeight, height - cy * CoreHeight));
                    if (HasFineHole(holes, deep, cell)) cells.Add(cell);
                }
            return cells;
        }

        /// <summary>The tile around a cell: its context margin on each side, shifted to stay inside the photo.</summary>
        public Point Origin(Rectangle cell) =>
            new(Math.Clamp(cell.X - context, 0, width - TileWidth), Math.Clamp(cell.Y - context, 0, height - TileHeight));

        private bool HasFineHole(bool[] holes, bool[]? deep, Rectangle cell)
        {
            for (int y = cell.Top; y < cell.Bottom; y++)
                for (int x = cell.Left, i = y * width + x; x < cell.Right; x++, i++)
                    if (holes[i] && (deep is null || !deep[i])) return true;
            return false;
        }
    }

    /// <summary>
    /// The tiles' inputs and outputs: a tile is cut from the image as it stands (deep pixels already hold the coarse
    /// repair and count as known); its output goes into the hole pixels it serves, weight 1 inside its cell, falling to 0
    /// over the feather outside it, blended with what earlier tiles wrote (weights kept per pixel in 1/63 steps).
    /// </summary>
    private sealed class Tiles(Image<Rgba32> image, bool[] holes, bool[]? deep, TileGrid grid, int feather) : ITileIo<Rectangle>
    {
        private readonly byte[] weights = new byte[image.Width * image.Height];

        private bool Fills(int i) => holes[i] && (deep is null || !deep[i]);

        public void Cut(Rectangle cell, Span<float> rgb, Span<float> mask)
        {
            Point origin = grid.Origin(cell);
            int w = grid.TileWidth, h = grid.TileHeight, width = image.Width, plane = w * h;
            for (int y = 0; y < h; y++)
            {
                ReadOnlySpan<Rgba32> row = image.DangerousGetPixelRowMemory(origin.Y + y).Span.Slice(origin.X, w);
                for (int x = 0; x < w; x++)
                {
                    int o = y * w + x;
                    Rgba32 p = row[x];
                    rgb[o] = p.R;
                    rgb[plane + o] = p.G;
                    rgb[2 * plane + o] = p.B;
                    mask[o] = Fills((origin.Y + y) * width + origin.X + x) ? 255f : 0f;
                }
            }
        }

        public void Paste(Rectangle cell, ReadOnlySpan<float> generated)
        {
            Point origin = grid.Origin(cell);
            int w = grid.TileWidth, h = grid.TileHeight, width = image.Width, plane = w * h;
            int y0 = Math.Max(origin.Y, cell.Top - feather), y1 = Math.Min(origin.Y + h, cell.Bottom + feather);
            int x0 = Math.Max(origin.X, cell.Left - feather), x1 = Math.Min(origin.X + w, cell.Right + feather);
            for (int y = y0; y < y1; y++)
            {
                Span<Rgba32> row = image.DangerousGetPixelRowMemory(y).Span;
                int dy = y < cell.Top ? cell.Top - y : y >= cell.Bottom ? y - cell.Bottom + 1 : 0;
                for (int x = x0; x < x1; x++)
                {
                    int i = y * width + x;
                    if (!Fills(i)) continue;
                    int dx = x < cell.Left ? cell.Left - x : x >= cell.Right ? x - cell.Right + 1 : 0;
                    int weight = Weight(Math.Max(dx, dy));
                    if (weight <= 0) continue;
                    int o = (y - origin.Y) * w + (x - origin.X);
                    row[x] = Blend(row[x], weights[i], weight, generated[o], generated[plane + o], generated[2 * plane + o]);
                    weights[i] = (byte)Math.Min(255, weights[i] + weight);
                }
            }
        }

        /// <summary>A tile's weight at Chebyshev distance <paramref name="d"/> outside its cell, in 1/63 steps.</summary>
        private int Weight(int d) => d == 0 ? 63 : (int)MathF.Round(63f * (feather + 1 - d) / (feather + 1));

        private static Rgba32 Blend(Rgba32 old, int before, int weight, float r, float g, float b)
        {
            if (before > 0)
            {
                float total = before + weight;
                r = (old.R * before + r * weight) / total;
                g = (old.G * before + g * weight) / total;
                b = (old.B * before + b * weight) / total;
            }
            return new Rgba32(PixelRounding.ToByte(r), PixelRounding.ToByte(g), PixelRounding.ToByte(b), old.A);
        }
    }
}
