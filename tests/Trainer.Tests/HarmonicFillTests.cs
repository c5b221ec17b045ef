using Inpaint.Contract;
using Inpaint.Masks;
using Inpaint.Models;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

/// <summary>The managed pre-fill against the TorchSharp module the exporter's graph is verified against.</summary>
public class HarmonicFillTests
{
    public static TheoryData<int, int, string> Cases => new()
    {
        { 128, 128, "sor" }, { 97, 131, "sor" }, { 33, 45, "sor" }, { 5, 7, "sor" }, { 64, 64, "jacobi" }, { 33, 45, "jacobi" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheManagedFillEqualsTheTorchModule(int height, int width, string relaxation)
    {
        PrefillSpec spec = relaxation == "sor" ? Architectures.DefaultPrefill : new PrefillSpec { Levels = 4, Sweeps = [3, 6] };
        var rng = new Random(height * 31 + width);
        foreach (MaskKind kind in new[] { MaskKind.Center, MaskKind.Strokes, MaskKind.Scratch, MaskKind.Text, MaskKind.Box })
        {
            float[] image = Enumerable.Range(0, 3 * height * width).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            bool[] holes = MaskGenerator.Holes(kind, width, height, rng);
            AssertSame(spec, image, holes, height, width);
        }
    }

    [Fact]
    public void AnAllHoleAndAnAllKnownImageAgreeToo()
    {
        int h = 40, w = 56;
        float[] image = Enumerable.Range(0, 3 * h * w).Select(i => MathF.Sin(i * 0.01f)).ToArray();
        AssertSame(Architectures.DefaultPrefill, image, Enumerable.Repeat(true, h * w).ToArray(), h, w);
        AssertSame(Architectures.DefaultPrefill, image, new bool[h * w], h, w);
    }

    [Fact]
    public void KnownPixelsStayAndPixelScaleGivesTheSameFill()
    {
        int h = 48, w = 64;
        var rng = new Random(3);
        float[] image = Enumerable.Range(0, 3 * h * w).Select(_ => (float)rng.Next(256)).ToArray();
        bool[] holes = MaskGenerator.Holes(MaskKind.Strokes, w, h, rng);
        var fill = new HarmonicFill(Architectures.DefaultPrefill);
        var pixels = new float[image.Length];
        fill.Fill(image, holes, 3, h, w, pixels);
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < h * w; p++)
                if (!holes[p]) Assert.Equal(image[c * h * w + p], pixels[c * h * w + p]);
        // Every step averages, so filling 0..255 values equals filling them in the network's range.
        float[] network = image.Select(PixelNormalisation.ToNetwork).ToArray();
        var filled = new float[image.Length];
        fill.Fill(network, holes, 3, h, w, filled);
        for (int i = 0; i < image.Length; i++) Assert.Equal(PixelNormalisation.ToPixel(filled[i]), pixels[i], 0.01f);
    }

    private static void AssertSame(PrefillSpec spec, float[] image, bool[] holes, int h, int w)
    {
        var managed = new float[image.Length];
        new HarmonicFill(spec).Fill(image, holes, 3, h, w, managed);
        using var scope = NewDisposeScope();
        using var module = new HarmonicPrefill(spec);
        Tensor torchImage = tensor(image, [1, 3, h, w]);
        Tensor torchHole = tensor(holes.Select(b => b ? 1f : 0f).ToArray(), [1, 1, h, w]);
        float[] reference = module.forward(torchImage, torchHole).data<float>().ToArray();
        float worst = managed.Zip(reference, (a, b) => MathF.Abs(a - b)).Max();
        // The network's range is -1..1: 1e-4 is a hundredth of one 8-bit grey level.
        Assert.True(worst < 1e-4f, $"max |managed - torch| = {worst} at {w}x{h}");
    }
}
