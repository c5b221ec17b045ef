using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>The tiny test model (Fixtures/make-tiny-model.sh) and small generated photos and masks.</summary>
public static class Fixture
{
    public static string TinyModel => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-32.onnx");

    /// <summary>The tiny freeform model (Fixtures/make-tiny-freeform.sh): hole any, 32 px tiles, granularity 4.</summary>
    public static string FreeformModel => Path.Combine(AppContext.BaseDirectory, "Fixtures", "freeform-tiny.onnx");

    /// <summary>The tiny damage detector (make-tiny-detector.sh).</summary>
    public static string Detector => Path.Combine(AppContext.BaseDirectory, "Fixtures", "detector-tiny.onnx");

    public static InpaintModel LoadFreeform(int batch = 8) => InpaintModel.Load(FreeformModel, new InpaintModelOptions { Provider = ExecutionProvider.Cpu, BatchSize = batch });

    public static InpaintModel LoadTiny(int batch = 8) => InpaintModel.Load(TinyModel, new InpaintModelOptions { Provider = ExecutionProvider.Cpu, BatchSize = batch });

    /// <summary>A smooth photo with some texture, with an alpha channel that is opaque.</summary>
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
                    row[x] = new Rgba32((byte)(127 + 100 * Math.Sin(0.02 * x + seed)), (byte)(127 + 100 * Math.Cos(0.03 * y)),
                        (byte)((x + y + rng.Next(6)) % 256), 255);
            }
        });
        return image;
    }

    /// <summary>A hole map from a predicate.</summary>
    public static HoleMap Holes(int width, int height, Func<int, int, bool> hole)
    {
        var holes = new bool[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                holes[y * width + x] = hole(x, y);
        return new HoleMap(width, height, holes, MaskSource.Luminance);
    }

    /// <summary>True when every non-hole pixel (RGBA) is identical.</summary>
    public static void AssertKnownPixelsIdentical(Image<Rgba32> before, Image<Rgba32> after, HoleMap holes)
    {
        Assert.Equal(before.Width, after.Width);
        Assert.Equal(before.Height, after.Height);
        int changedHoles = 0;
        for (int y = 0; y < before.Height; y++)
            for (int x = 0; x < before.Width; x++)
            {
                if (holes.Holes[y * before.Width + x])
                {
                    if (before[x, y] != after[x, y]) changedHoles++;
                    continue;
                }
                Assert.True(before[x, y] == after[x, y], $"known pixel ({x},{y}) changed: {before[x, y]} -> {after[x, y]}");
            }
        Assert.True(changedHoles > 0, "no hole pixel was written");
    }

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "inpaint-lib-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
