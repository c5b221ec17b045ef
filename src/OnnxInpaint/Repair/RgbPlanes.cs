using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>An image as three planar float channels (R, G, B) with values 0..255, row-major.</summary>
internal sealed class RgbPlanes
{
    /// <summary>Allocates zeroed planes.</summary>
    public RgbPlanes(int width, int height)
    {
        Width = width;
        Height = height;
        Data = new float[3 * width * height];
    }

    /// <summary>Width.</summary>
    public int Width { get; }

    /// <summary>Height.</summary>
    public int Height { get; }

    /// <summary>[3, H, W] values.</summary>
    public float[] Data { get; }

    /// <summary>Pixels in one plane.</summary>
    public int Plane => Width * Height;

    /// <summary>Copies the RGB channels of an image, row by row.</summary>
    public static RgbPlanes From(Image<Rgba32> image)
    {
        var planes = new RgbPlanes(image.Width, image.Height);
        int w = image.Width, plane = planes.Plane;
        float[] d = planes.Data;
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<Rgba32> row = image.DangerousGetPixelRowMemory(y).Span;
            int o = y * w;
            for (int x = 0; x < w; x++)
            {
                d[o + x] = row[x].R;
                d[plane + o + x] = row[x].G;
                d[2 * plane + o + x] = row[x].B;
            }
        }
        return planes;
    }

    /// <summary>Bilinear sample of all three channels at (x, y), edges clamped; the weights are computed once.</summary>
    public (float R, float G, float B) Sample(float x, float y)
    {
        x = Math.Clamp(x, 0, Width - 1);
        y = Math.Clamp(y, 0, Height - 1);
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, Width - 1), y1 = Math.Min(y0 + 1, Height - 1);
        float fx = x - x0, fy = y - y0;
        float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        int i00 = y0 * Width + x0, i01 = y0 * Width + x1, i10 = y1 * Width + x0, i11 = y1 * Width + x1, plane = Plane;
        float[] d = Data;
        return (
            d[i00] * w00 + d[i01] * w01 + d[i10] * w10 + d[i11] * w11,
            d[plane + i00] * w00 + d[plane + i01] * w01 + d[plane + i10] * w10 + d[plane + i11] * w11,
            d[2 * plane + i00] * w00 + d[2 * plane + i01] * w01 + d[2 * plane + i10] * w10 + d[2 * plane + i11] * w11);
    }
}
