using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Server.Tests;

/// <summary>Small generated photos and masks, encoded as the client would send them.</summary>
internal static class TestImages
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    /// <summary>A smooth photo with some texture.</summary>
    public static Image<Rgba32> Photo(int width, int height, int seed = 1)
    {
        var image = new Image<Rgba32>(width, height);
        var rng = new Random(seed);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < width; x++)
                    row[x] = new Rgba32((byte)(127 + 100 * Math.Sin(0.05 * x + seed)), (byte)(127 + 100 * Math.Cos(0.07 * y + seed)),
                        (byte)((3 * x + 2 * y + rng.Next(8) + 40 * seed) % 256), 255);
            }
        });
        return image;
    }

    public static byte[] PhotoPng(int width, int height, int seed = 1)
    {
        using var image = Photo(width, height, seed);
        return Png(image);
    }

    /// <summary>A grey mask: white where <paramref name="hole"/> is true.</summary>
    public static byte[] MaskPng(int width, int height, Func<int, int, bool> hole)
    {
        using var mask = new Image<L8>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                mask[x, y] = new L8(hole(x, y) ? (byte)255 : (byte)0);
        using var stream = new MemoryStream();
        mask.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>A square hole of side <paramref name="side"/> at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public static Func<int, int, bool> Square(int left, int top, int side) => (x, y) => x >= left && x < left + side && y >= top && y < top + side;

    public static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        return stream.ToArray();
    }

    public static Image<Rgba32> Decode(byte[] bytes) => Image.Load<Rgba32>(bytes);

    /// <summary>Pixels (RGBA) that differ between two images of the same size.</summary>
    public static List<(int X, int Y)> Differences(Image<Rgba32> a, Image<Rgba32> b)
    {
        Assert.Equal(a.Size(), b.Size());
        var found = new List<(int, int)>();
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
                if (a[x, y] != b[x, y]) found.Add((x, y));
        return found;
    }
}
