using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Trainer.Data;

/// <summary>Row-wise conversion between 8-bit RGB images and planar CHW floats in [-1, 1].</summary>
public static class PixelConversion
{
    /// <summary>Writes the image into <paramref name="chw"/> (3 x H x W), mirrored left-right when asked.</summary>
    public static void ToPlanar(Image<Rgb24> image, Span<float> chw, bool mirror)
    {
        int w = image.Width, h = image.Height, plane = w * h;
        if (chw.Length < 3 * plane) throw new ArgumentException("the destination is too small", nameof(chw));
        for (int y = 0; y < h; y++)
        {
            // Row access without a lambda, so the destination span can be written directly.
            ReadOnlySpan<Rgb24> row = image.DangerousGetPixelRowMemory(y).Span;
            Span<float> r = chw.Slice(y * w, w), g = chw.Slice(plane + y * w, w), b = chw.Slice(2 * plane + y * w, w);
            for (int x = 0; x < w; x++)
            {
                Rgb24 p = row[mirror ? w - 1 - x : x];
                r[x] = PixelNormalisation.ToNetwork(p.R);
                g[x] = PixelNormalisation.ToNetwork(p.G);
                b[x] = PixelNormalisation.ToNetwork(p.B);
            }
        }
    }

    /// <summary>Makes an 8-bit image from planar CHW floats in [-1, 1] (clamped, rounded).</summary>
    public static Image<Rgb24> FromPlanar(ReadOnlySpan<float> chw, int width, int height)
    {
        int plane = width * height;
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<Rgb24> row = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                row[x] = new Rgb24(ToByte(chw[i]), ToByte(chw[plane + i]), ToByte(chw[2 * plane + i]));
            }
        }
        return image;
    }

    /// <summary>Maps [-1, 1] to 0..255 with rounding and clamping.</summary>
    public static byte ToByte(float v) => PixelNormalisation.ToByte(v);
}
