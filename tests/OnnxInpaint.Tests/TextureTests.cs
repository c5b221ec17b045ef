using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>The texture route: the patch synthesis on its own, and the repairer's fill modes and variants.</summary>
public class TextureTests
{
    /// <summary>Vertical stripes, 6 px a period, with a little seeded noise: a texture a flat fill cannot imitate.</summary>
    private static float[] Stripes(int w, int h, int seed = 3)
    {
        var rng = new Random(seed);
        var rgb = new float[3 * w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float v = x % 6 < 3 ? 200 : 60;
                for (int c = 0; c < 3; c++) rgb[3 * (y * w + x) + c] = v + rng.Next(-5, 6) - 20 * c;
            }
        return rgb;
    }

    private static bool[] Square(int w, int h, int x0, int y0, int side)
    {
        var holes = new bool[w * h];
        for (int y = y0; y < y0 + side; y++)
            for (int x = x0; x < x0 + side; x++) holes[y * w + x] = true;
        return holes;
    }

    /// <summary>The guide a smooth fill would give: the holes take the mean of the known pixels.</summary>
    private static float[] FlatGuide(float[] rgb, bool[] holes)
    {
        var guide = (float[])rgb.Clone();
        for (int c = 0; c < 3; c++)
        {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < holes.Length; i++)
                if (!holes[i]) { sum += rgb[3 * i + c]; n++; }
            for (int i = 0; i < holes.Length; i++)
                if (holes[i]) guide[3 * i + c] = (float)(sum / n);
        }
        return guide;
    }

    /// <summary>Sum of squared horizontal differences of the red channel over the hole pixels.</summary>
    private static double HorizontalEnergy(float[] rgb, bool[] holes, int w)
    {
        double e = 0;
        for (int i = 0; i < holes.Length; i++)
            if (holes[i] && i % w < w - 1)
            {
                double d = rgb[3 * (i + 1)] - rgb[3 * i];
                e += d * d;
            }
        return e;
    }

    [Fact]
    public void AFlatGuideInAStripedPhotoBecomesStripes()
    {
        int w = 96, h = 96;
        float[] truth = Stripes(w, h);
        bool[] holes = Square(w, h, 36, 36, 24);
        float[] filled = FlatGuide(truth, holes);
        Assert.True(new PatchSynthesis().Fill(filled, holes, w, h, seed: 1));
        double ratio = HorizontalEnergy(filled, holes, w) / HorizontalEnergy(truth, holes, w);
        Assert.InRange(ratio, 0.6, 1.4);
        for (int i = 0; i < holes.Length; i++)
            if (!holes[i])
                for (int c = 0; c < 3; c++) Assert.Equal(truth[3 * i + c], filled[3 * i + c]);
    }

    [Fact]
    public void TheSameSeedGivesTheSameFillAndAnotherSeedAnother()
    {
        int w = 80, h = 72;
        float[] truth = Stripes(w, h, seed: 5);
        bool[] holes = Square(w, h, 28, 24, 20);
        float[] Fill(int seed)
        {
            float[] guide = FlatGuide(truth, holes);
            new PatchSynthesis().Fill(guide, holes, w, h, seed);
            return guide;
        }
        Assert.Equal(Fill(7), Fill(7));
        Assert.NotEqual(Fill(7), Fill(8));
    }

    [Fact]
    public void WithoutAWholePatchOfKnownPixelsTheGuideIsLeftAsItWas()
    {
        int w = 12, h = 12;
        float[] guide = Enumerable.Repeat(90f, 3 * w * h).ToArray();
        bool[] holes = Square(w, h, 3, 3, 6);
        Assert.False(new PatchSynthesis().Fill(guide, holes, w, h, seed: 1));
        Assert.All(guide, v => Assert.Equal(90f, v));
        Assert.Throws<ArgumentException>(() => new PatchSynthesis().Fill(guide, holes, w + 1, h, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatchSynthesis(new PatchSynthesisOptions { PatchSize = 6 }));
    }

    [Fact]
    public void HoleDistanceCountsChessboardStepsToTheNearestKnownPixel()
    {
        bool[] holes = Square(9, 9, 2, 2, 5);
        int[] d = HoleDistance.Chessboard(holes, 9, 9);
        Assert.Equal(0, d[0]);
        Assert.Equal(1, d[2 * 9 + 2]);
        Assert.Equal(3, d[4 * 9 + 4]);
        Assert.Equal(3, HoleDistance.Deepest(d));
        Assert.True(HoleDistance.Chessboard(new bool[] { true, true, true, true }, 2, 2)[0] > 1_000_000, "no known pixel at all");
    }

    [Theory]
    [InlineData("auto", FillMode.Auto)]
    [InlineData("Texture", FillMode.Texture)]
    [InlineData(" smooth ", FillMode.Smooth)]
    public void FillModesParseTheirWords(string word, FillMode mode)
    {
        Assert.True(FillModes.TryParse(word, out FillMode parsed));
        Assert.Equal(mode, parsed);
        Assert.False(FillModes.TryParse("blur", out _));
        Assert.Equal("auto, smooth, texture", FillModes.Words);
    }

    /// <summary>A photo with one large square hole and a thin scratch far from it.</summary>
    private static (Image<Rgba32> Photo, HoleMap Holes) LargeHoleAndScratch()
    {
        var photo = Fixture.Photo(192, 160, seed: 6);
        HoleMap holes = Fixture.Holes(192, 160, (x, y) => (x is >= 40 and < 80 && y is >= 40 and < 80) || (y == 130 && x is > 20 and < 170));
        return (photo, holes);
    }

    [Theory]
    [InlineData(FillMode.Auto, 1)]
    [InlineData(FillMode.Smooth, 0)]
    [InlineData(FillMode.Texture, 2)]
    public void AutoGivesTextureToTheLargeRegionOnly(FillMode fill, int textured)
    {
        using var model = Fixture.LoadFreeform();
        var (photo, holes) = LargeHoleAndScratch();
        using (photo)
        using (var repaired = new PhotoRepairer(model, new RepairOptions { Fill = fill }).Repair(photo, holes, out RepairReport report))
        {
            Assert.Equal(textured, report.TextureRegions);
            Fixture.AssertKnownPixelsIdentical(photo, repaired, holes);
        }
    }

    [Fact]
    public void VariantsDifferInTheLargeHoleAndAgreeEverywhereElse()
    {
        using var model = Fixture.LoadFreeform();
        var (photo, holes) = LargeHoleAndScratch();
        using var owned = photo;
        var repairer = new PhotoRepairer(model, new RepairOptions { Seed = 11 });
        var variants = repairer.Variants(photo, holes, 3, out var reports);
        try
        {
            Assert.Equal(3, variants.Count);
            Assert.All(reports, r => Assert.Equal(1, r.TextureRegions));
            foreach (var v in variants) Fixture.AssertKnownPixelsIdentical(photo, v, holes);
            int differ = 0;
            for (int y = 40; y < 80; y++)
                for (int x = 40; x < 80; x++)
                    if (variants[0][x, y] != variants[1][x, y]) differ++;
            Assert.True(differ > 400, $"{differ} of 1600 pixels differ between two variants");
            for (int x = 21; x < 170; x++) Assert.Equal(variants[0][x, 130], variants[2][x, 130]); // the scratch keeps the model's fill
            using var again = new PhotoRepairer(model, new RepairOptions { Seed = 11 }).Repair(photo, holes, out _);
            for (int y = 40; y < 80; y++)
                for (int x = 40; x < 80; x++) Assert.Equal(variants[0][x, y], again[x, y]);
        }
        finally
        {
            foreach (var v in variants) v.Dispose();
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => repairer.Variants(photo, holes, 0, out _));
    }
}
