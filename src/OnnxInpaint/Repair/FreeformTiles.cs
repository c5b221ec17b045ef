using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The tiles' inputs and outputs: a tile is cut from the image as it stands (deep pixels already hold the coarse
/// repair and count as known); its output goes into the hole pixels it serves, weight 1 inside its cell, falling to 0
/// over the feather outside it, blended with what earlier tiles wrote (weights kept per pixel in 1/63 steps).
/// </summary>
internal sealed class FreeformTiles(Image<Rgba32> image, bool[] holes, bool[]? deep, FreeformTileGrid grid, int feather) : ITileIo<Rectangle>
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
