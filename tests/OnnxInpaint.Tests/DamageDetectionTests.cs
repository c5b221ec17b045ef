using Inpaint.Cli;
using Inpaint.Imaging;
using Inpaint.Masks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>The damage detector in the library and the command line: any size, tiles that agree with one call, masks of the photo's size, --auto.</summary>
public class DamageDetectionTests
{
    private static DamageDetector Load() => DamageDetector.Load(Fixture.Detector, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });

    [Theory]
    [InlineData(37, 53)]
    [InlineData(130, 97)]
    [InlineData(301, 211)]
    public void ProbabilitiesCoverEveryPixelAtOddSizesAndTilesAgreeWithOneCall(int width, int height)
    {
        using var photo = Fixture.Photo(width, height, seed: 4);
        using var whole = Load();
        whole.Tile = 4096;
        float[] one = whole.Probabilities(photo);
        Assert.Equal(width * height, one.Length);
        Assert.All(one, v => Assert.InRange(v, 0f, 1f));
        // Tiles of 48 px with the model's context around them answer as one call over the whole photo does.
        using var tiled = Load();
        tiled.Tile = 48;
        float[] pieces = tiled.Probabilities(photo);
        double worst = one.Zip(pieces, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 0.02, $"tiles differ from one call by {worst}");
    }

    [Fact]
    public void DetectThresholdsAndRefusesAThresholdOutsideZeroToOne()
    {
        using var detector = Load();
        using var photo = Fixture.Photo(64, 48);
        float[] p = detector.Probabilities(photo);
        HoleMap holes = detector.Detect(photo, 0.5);
        Assert.Equal(MaskSource.Detected, holes.Source);
        Assert.Equal(p.Count(v => v >= 0.5f), holes.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect(photo, 1.5));
    }

    [Fact]
    public void MoreLevelsNeverLowerAProbabilityAndSkipScalesTooSmallToLookAt()
    {
        using var photo = Fixture.Photo(200, 150, seed: 6);
        using var detector = Load();
        detector.Levels = 1;
        float[] one = detector.Probabilities(photo);
        detector.Levels = 3;
        float[] three = detector.Probabilities(photo);
        Assert.All(one.Zip(three), pair => Assert.True(pair.Second >= pair.First, $"{pair.Second} < {pair.First}"));
        // What the smaller scales may add is tested on maps (ASmallerScaleAddsOnlyLargeFindings, AMapUpsampledInto...):
        // the fixture detector finds nothing large there.
        // At 60x40 half the size is below the smallest side looked at (32): one scale only.
        using var small = Fixture.Photo(60, 40, seed: 6);
        float[] smallThree = detector.Probabilities(small);
        detector.Levels = 1;
        Assert.Equal(detector.Probabilities(small), smallThree);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Levels = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Levels = DetectSettings.Levels.Max + 1);
    }

    [Fact]
    public void AutomaticLevelsHalveThePhotoUntilItsShorterSideIsOneTheDetectorSawWhole()
    {
        using var detector = Load();
        Assert.Equal(1, detector.Levels); // the default
        detector.Levels = 0;
        int whole = detector.WholePhotoSide;
        Assert.Equal(3 * detector.Contract.ImageSize, whole);
        Assert.Equal(1, detector.LevelsFor(whole, whole));
        Assert.Equal(2, detector.LevelsFor(3 * whole, whole + 1));
        Assert.Equal(3, detector.LevelsFor(4 * whole, 4 * whole));
        Assert.Equal(4, detector.LevelsFor(4 * whole + 8, 4 * whole + 8));
        detector.Levels = 2;
        Assert.Equal(2, detector.LevelsFor(8 * whole, 8 * whole));
        Assert.Equal(1, detector.LevelsFor(60, 40)); // half of it is below the smallest side looked at
        using var photo = Fixture.Photo(2 * whole, 2 * whole, seed: 3);
        detector.Levels = 0;
        float[] auto = detector.Probabilities(photo);
        detector.Levels = 2;
        Assert.Equal(detector.Probabilities(photo), auto);
    }

    [Fact]
    public void AMapUpsampledIntoAnotherRaisesItBilinearlyWithCentresAligned()
    {
        float[] source = [0f, 1f, 0f, 1f]; // 2x2: left column 0, right column 1
        var target = new float[16];
        target[4 * 1 + 0] = 0.9f; // already higher than the source there: kept
        ProbabilityMaps.MaxUpsampled(target, 4, 4, source, 2, 2);
        for (int y = 0; y < 4; y++)
        {
            // Centres of the target's columns fall at source x = -0.25, 0.25, 0.75, 1.25: clamped, then interpolated.
            Assert.Equal(y == 1 ? 0.9f : 0f, target[y * 4 + 0], 5);
            Assert.Equal(0.25f, target[y * 4 + 1], 5);
            Assert.Equal(0.75f, target[y * 4 + 2], 5);
            Assert.Equal(1f, target[y * 4 + 3], 5);
        }
        Assert.Throws<ArgumentException>(() => ProbabilityMaps.MaxUpsampled(target, 4, 3, source, 2, 2));
    }

    [Fact]
    public void ASmallerScaleAddsOnlyLargeFindings()
    {
        const int w = 40, h = 30;
        var map = new float[w * h];
        void Square(int left, int top, int side, float value)
        {
            for (int y = top; y < top + side; y++) for (int x = left; x < left + side; x++) map[y * w + x] = value;
        }
        Square(2, 2, 3, 0.9f);    // a speck: 9 pixels
        Square(20, 10, 10, 0.8f); // a blob: 100 pixels
        Square(20, 10, 2, 0.3f);  // below the threshold inside the blob: 96 left at it, and the low ones go
        map[w * (h - 1)] = 0.4f;  // low everywhere else
        float[] before = (float[])map.Clone();
        Square(0, 25, 2, 0.9f);   // a line 2 px thick and 35 long: 70 pixels, but thin
        for (int x = 2; x < 35; x++) map[25 * w + x] = map[26 * w + x] = 0.9f;
        before = (float[])map.Clone();
        ProbabilityMaps.KeepLarge(map, w, h, 0.5f, 64, 3);
        for (int i = 0; i < map.Length; i++)
        {
            int x = i % w, y = i / w;
            bool inBlob = x >= 20 && x < 30 && y >= 10 && y < 20 && before[i] >= 0.5f;
            Assert.Equal(inBlob ? before[i] : 0f, map[i]);
        }
        Assert.Throws<ArgumentException>(() => ProbabilityMaps.KeepLarge(map, w + 1, h, 0.5f, 64, 3));
    }

    [Fact]
    public void AnInpainterGivenAsTheDetectorIsRefusedWithTheReason()
    {
        var e = Assert.Throws<InvalidDataException>(() => DamageDetector.Load(Fixture.FreeformModel));
        Assert.Contains("inpainter, not a damage detector", e.Message);
    }

    [Fact]
    public void DetectWritesAMaskOfThePhotosSizeThatRepairTakes()
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "old.png"), mask = Path.Combine(dir, "damage.png"), repaired = Path.Combine(dir, "fixed.png");
        using (var image = Fixture.Photo(150, 90, seed: 2)) image.SaveAsPng(photo);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["detect", photo, "-o", mask, "--detector", Fixture.Detector, "--threshold", "0.3", "--device", "cpu"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("damage pixels", stdout.ToString());
        using (var written = Image.Load<L8>(mask))
        {
            Assert.Equal((150, 90), (written.Width, written.Height));
            Assert.All(Enumerable.Range(0, 90).SelectMany(y => Enumerable.Range(0, 150).Select(x => written[x, y].PackedValue)), v => Assert.True(v is 0 or 255));
        }
        code = InpaintCli.Run(["repair", photo, "--mask", mask, "-o", repaired, "--model", Fixture.FreeformModel, "--device", "cpu", "--allow-large-holes"], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
    }

    [Fact]
    public void AutoWithNothingDetectedLeavesThePhotoBitIdentical()
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "clean.png"), output = Path.Combine(dir, "out.png");
        using (var image = Fixture.Photo(96, 64, seed: 6)) image.SaveAsPng(photo);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // At a threshold of 0.99 the tiny detector finds nothing in this photo.
        int code = InpaintCli.Run(["repair", photo, "--auto", "--detector", Fixture.Detector, "--threshold", "0.99", "-o", output, "--model", Fixture.FreeformModel, "--device", "cpu"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("no damage found", stdout.ToString());
        using var before = Image.Load<Rgba32>(photo);
        using var after = Image.Load<Rgba32>(output);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 96; x++) Assert.True(before[x, y] == after[x, y], $"pixel ({x},{y}) changed");
    }

    [Fact]
    public void AutoWithAMaskRepairsTheUnionAndAutoNeedsNoMask()
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "p.png"), mask = Path.Combine(dir, "m.png"), output = Path.Combine(dir, "o.png");
        using (var image = Fixture.Photo(96, 64, seed: 7)) image.SaveAsPng(photo);
        using (var m = new Image<Rgba32>(96, 64, new Rgba32(0, 0, 0, 255)))
        {
            for (int y = 10; y < 20; y++) for (int x = 10; x < 30; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
            m.SaveAsPng(mask);
        }
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", photo, "--mask", mask, "--auto", "--detector", Fixture.Detector, "--threshold", "0.99", "-o", output,
            "--model", Fixture.FreeformModel, "--device", "cpu", "--verbose"], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("200 hole pixels", stderr.ToString()); // the mask's square; nothing detected at 0.99
    }

    [Theory]
    [InlineData("detect", "missing.png", "does not exist")]
    [InlineData("detect", "PHOTO", "must end in .png")]
    [InlineData("repair", "PHOTO", "or --auto")]
    public void BadInputIsRefusedInOneLine(string command, string input, string expected)
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "p.png");
        using (var image = Fixture.Photo(40, 30)) image.SaveAsPng(photo);
        string[] args = command == "detect"
            ? ["detect", input == "PHOTO" ? photo : Path.Combine(dir, input), "-o", Path.Combine(dir, input == "PHOTO" ? "m.jpg" : "m.png"), "--detector", Fixture.Detector]
            : ["repair", photo, "-o", Path.Combine(dir, "o.png"), "--model", Fixture.FreeformModel];
        var stderr = new StringWriter();
        Assert.Equal(1, InpaintCli.Run(args, new StringWriter(), stderr));
        Assert.Contains(expected, stderr.ToString());
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }
}
