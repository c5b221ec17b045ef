using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Trainer.Tests;

/// <summary>A temporary folder of small synthetic photos (smooth gradients with a little texture).</summary>
public sealed class TestPhotos : IDisposable
{
    public TestPhotos(int count = 6, int width = 80, int height = 64, string? subfolder = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "inpaint-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        for (int i = 0; i < count; i++)
        {
            string dir = subfolder is not null && i % 2 == 1 ? Path.Combine(Root, subfolder) : Root;
            Directory.CreateDirectory(dir);
            Write(Path.Combine(dir, $"photo{i:D2}.png"), width, height, i);
        }
    }

    public string Root { get; }

    public static void Write(string path, int width, int height, int seed)
    {
        using var image = new Image<Rgb24>(width, height);
        var rng = new Random(seed);
        double fx = 0.05 + 0.1 * rng.NextDouble(), fy = 0.05 + 0.1 * rng.NextDouble();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgb24(
                    (byte)(127 + 100 * Math.Sin(fx * x + seed)),
                    (byte)(127 + 100 * Math.Cos(fy * y + seed)),
                    (byte)((x * 255 / width + y * 128 / height + rng.Next(8)) % 256));
        image.Save(path);
    }

    /// <summary>
    /// Writes a JPEG of the test pattern cut to half its bytes: its header is intact, so a scan accepts it, and only
    /// decoding finds the missing rows (the case ImageSharp 2.1 decoded silently, filling them with grey).
    /// </summary>
    public static void WriteTruncatedJpeg(string path, int width, int height, int seed)
    {
        string whole = path + ".whole.jpg";
        Write(whole, width, height, seed);
        byte[] bytes = File.ReadAllBytes(whole);
        File.Delete(whole);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
