using Inpaint.Imaging;
using System.Diagnostics;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The free-form family's strategy. The model takes any mask at any size, so the photo is repaired at its own
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
        var stats = new Stats();
        var output = photo.Clone();
        int count = 0;
        foreach (bool h in holes) if (h) count++;
        if (count > 0) RepairLevel(output, holes, stats, depth: 0, progress, cancellation);
        report = new RepairReport
        {
            HolePixels = count, Regions = 0, Windows = stats.Tiles, Batches = stats.Batches, Planning = stats.Planning,
            Inference = stats.Inference, Pasting = stats.Pasting, Scales = stats.Scales,
        };
        return output;
    }

    private sealed class Stats
    {
        public int Tiles, Batches, Scales = 1, TilesDone;
        public TimeSpan Planning, Inference, Pasting;
    }

    /// <summary>Repairs the hole pixels of <paramref name="image"/> in place (its known pixels are the context).</summary>
    private void RepairLevel(Image<Rgba32> image, bool[] holes, Stats stats, int depth, IProgress<RepairProgress>? progress, CancellationToken cancellation)
    {
        var timer = Stopwatch.StartNew();
        int width = image.Width, height = image.Height;
        var (tile, context) = Geometry();
        int tileW = Math.Min(tile, width), tileH = Math.Min(tile, height);
        int coreW = width <= tile ? width : tile - 2 * context, coreH = height <= tile ? height : tile - 2 * context;

        // Deep hole pixels: farther than half a cell from every known pixel. They need a coarser view first.
        bool[]? deep = null;
        int reach = Math.Max(1, Math.Min(coreW, coreH) / 2);
        int smallest = Math.Max(8, model.Contract.Stride);
        if (depth < 12 && Math.Min(width, height) >= 2 * smallest)
        {
            var known = new bool[holes.Length];
            bool anyKnown = false;
            for (int i = 0; i < holes.Length; i++) anyKnown |= known[i] = !holes[i];
            bool[] near = Morphology.Dilate(known, width, height, reach);
            for (int i = 0; i < holes.Length; i++)
                if (holes[i] && !near[i])
                {
                    deep ??= new bool[holes.Length];
                    deep[i] = true;
                }
            if (deep is not null)
            {
                stats.Scales = Math.Max(stats.Scales, depth + 2);
                stats.Planning += timer.Elapsed;
                FillFromCoarse(image, holes, deep, stats, depth, progress, cancellation);
                timer.Restart();
            }
        }

        // Cells that hold hole pixels the tiles must fill.
        int columns = (width + coreW - 1) / coreW, rows = (height + coreH - 1) / coreH;
        var cells = new List<Rectangle>();
        for (int cy = 0; cy < rows; cy++)
            for (int cx = 0; cx < columns; cx++)
            {
                var cell = new Rectangle(cx * coreW, cy * coreH, Math.Min(coreW, width - cx * coreW), Math.Min(coreH, height - cy * coreH));
                if (HasFineHole(holes, deep, width, cell)) cells.Add(cell);
            }
        stats.Tiles += cells.Count;
        stats.Planning += timer.Elapsed;

        int batch = options.BatchSize > 0 ? options.BatchSize : model.PreferredBatchSize;
        int plane = tileW * tileH;
        var input = new float[batch * 3 * plane];
        var mask = new float[batch * plane];
        var result = new float[batch * 3 * plane];
        var weights = new byte[width * height];
        int feather = Math.Max(0, options.Planner.Feather);
        for (int start = 0; start < cells.Count; start += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(batch, cells.Count - start);
            long t0 = Stopwatch.GetTimestamp();
            var origins = new (int X, int Y)[n];
            for (int k = 0; k < n; k++)
            {
                Rectangle cell = cells[start + k];
                origins[k] = (Math.Clamp(cell.X - context, 0, width - tileW), Math.Clamp(cell.Y - context, 0, height - tileH));
            }
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation }, k =>
                CutTile(image, holes, deep, origins[k].X, origins[k].Y, tileW, tileH,
                    input.AsSpan(k * 3 * plane, 3 * plane), mask.AsSpan(k * plane, plane)));
            model.Run(input, mask, result, n, tileH, tileW, cancellation);
            long t1 = Stopwatch.GetTimestamp();
            for (int k = 0; k < n; k++)
                Paste(image, holes, deep, weights, cells[start + k], origins[k].X, origins[k].Y, tileW, tileH, feather, result.AsSpan(k * 3 * plane, 3 * plane));
            stats.Batches++;
            stats.Inference += Stopwatch.GetElapsedTime(t0, t1);
            stats.Pasting += Stopwatch.GetElapsedTime(t1);
            stats.TilesDone += n;
            progress?.Report(new RepairProgress(stats.TilesDone, stats.Tiles));
        }
    }

    private static bool HasFineHole(bool[] holes, bool[]? deep, int width, Rectangle cell)
    {
        for (int y = cell.Top; y < cell.Bottom; y++)
            for (int x = cell.Left, i = y * width + x; x < cell.Right; x++, i++)
                if (holes[i] && (deep is null || !deep[i])) return true;
        return false;
    }

    /// <summary>The tile's RGB (0..255) and mask: 255 on hole pixels the tiles fill, 0 elsewhere (deep pixels already hold the coarse repair).</summary>
    private static void CutTile(Image<Rgba32> image, bool[] holes, bool[]? deep, int left, int top, int w, int h, Span<float> rgb, Span<float> mask)
    {
        int width = image.Width, plane = w * h;
        for (int y = 0; y < h; y++)
        {
            ReadOnlySpan<Rgba32> row = image.DangerousGetPixelRowMemory(top + y).Span.Slice(left, w);
            for (int x = 0; x < w; x++)
            {
                int o = y * w + x, i = (top + y) * width + left + x;
                Rgba32 p = row[x];
                rgb[o] = p.R;
                rgb[plane + o] = p.G;
                rgb[2 * plane + o] = p.B;
                mask[o] = holes[i] && (deep is null || !deep[i]) ? 255f : 0f;
            }
        }
    }

    /// <summary>
    /// Writes the tile's values into the hole pixels it serves: weight 1 inside its cell, falling to 0 over the feather
    /// outside it, blended with what earlier tiles wrote (weights kept per pixel in 1/63 steps).
    /// </summary>
    private static void Paste(Image<Rgba32> image, bool[] holes, bool[]? deep, byte[] weights, Rectangle cell, int left, int top, int w, int h,
        int feather, ReadOnlySpan<float> generated)
    {
        int width = image.Width, plane = w * h;
        int y0 = Math.Max(top, cell.Top - feather), y1 = Math.Min(top + h, cell.Bottom + feather);
        int x0 = Math.Max(left, cell.Left - feather), x1 = Math.Min(left + w, cell.Right + feather);
        for (int y = y0; y < y1; y++)
        {
            Span<Rgba32> row = image.DangerousGetPixelRowMemory(y).Span;
            int dy = y < cell.Top ? cell.Top - y : y >= cell.Bottom ? y - cell.Bottom + 1 : 0;
            for (int x = x0; x < x1; x++)
            {
                int i = y * width + x;
                if (!holes[i] || (deep is not null && deep[i])) continue;
                int dx = x < cell.Left ? cell.Left - x : x >= cell.Right ? x - cell.Right + 1 : 0;
                int d = Math.Max(dx, dy);
                int weight = d == 0 ? 63 : (int)MathF.Round(63f * (feather + 1 - d) / (feather + 1));
                if (weight <= 0) continue;
                int o = (y - top) * w + (x - left);
                float r = generated[o], g = generated[plane + o], b = generated[2 * plane + o];
                int before = weights[i];
                if (before > 0)
                {
                    Rgba32 old = row[x];
                    float total = before + weight;
                    r = (old.R * before + r * weight) / total;
                    g = (old.G * before + g * weight) / total;
                    b = (old.B * before + b * weight) / total;
                }
                weights[i] = (byte)Math.Min(255, before + weight);
                row[x] = new Rgba32(ToByte(r), ToByte(g), ToByte(b), row[x].A);
            }
        }
    }

    /// <summary>
    /// Repairs a half-size copy of the photo (a coarse pixel is a hole only where all four below it are) and writes its
    /// bilinear upsampling into the deep hole pixels.
    /// </summary>
    private void FillFromCoarse(Image<Rgba32> image, bool[] holes, bool[] deep, Stats stats, int depth, IProgress<RepairProgress>? progress,
        CancellationToken cancellation)
    {
        int width = image.Width, height = image.Height, cw = (width + 1) / 2, ch = (height + 1) / 2;
        var coarseHoles = new bool[cw * ch];
        using var coarse = new Image<Rgba32>(cw, ch);
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
        RepairLevel(coarse, coarseHoles, stats, depth + 1, progress, cancellation);
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
                float Lerp(byte p00, byte p01, byte p10, byte p11) => (p00 * (1 - fu) + p01 * fu) * (1 - fv) + (p10 * (1 - fu) + p11 * fu) * fv;
                row[x] = new Rgba32(ToByte(Lerp(a[u0].R, a[u1].R, c[u0].R, c[u1].R)), ToByte(Lerp(a[u0].G, a[u1].G, c[u0].G, c[u1].G)),
                    ToByte(Lerp(a[u0].B, a[u1].B, c[u0].B, c[u1].B)), row[x].A);
            }
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
}
