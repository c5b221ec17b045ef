using Inpaint.OnnxInpaint.Repair;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class RepairTests
{
    [Fact]
    public void KnownPixelsAndAlphaAreBitIdentical()
    {
        using var model = Fixture.LoadTiny();
        using var photo = Fixture.Photo(120, 90);
        photo[5, 5] = new Rgba32(1, 2, 3, 77); // a translucent known pixel keeps its alpha
        var holes = Fixture.Holes(120, 90, (x, y) => (x is >= 40 and < 60 && y is >= 30 and < 50) || x == y);
        using var repaired = new PhotoRepairer(model).Repair(photo, holes, out var report);
        Fixture.AssertKnownPixelsIdentical(photo, repaired, holes);
        Assert.Equal(holes.Count, report.HolePixels);
        Assert.True(report.Windows >= report.Regions);
    }

    [Fact]
    public void HolesFillPlausiblyAndAWhiteHoleDoesNotStayWhite()
    {
        using var model = Fixture.LoadTiny();
        using var photo = Fixture.Photo(64, 64);
        var holes = Fixture.Holes(64, 64, (x, y) => x is >= 24 and < 40 && y is >= 24 and < 40);
        using var damaged = photo.Clone();
        for (int y = 24; y < 40; y++) for (int x = 24; x < 40; x++) damaged[x, y] = new Rgba32(255, 255, 255, 255);
        using var repaired = new PhotoRepairer(model).Repair(damaged, holes, out _);
        double white = 0;
        for (int y = 24; y < 40; y++) for (int x = 24; x < 40; x++) white += repaired[x, y].R + repaired[x, y].G + repaired[x, y].B;
        Assert.True(white / (16 * 16 * 3) < 240, "the damage (white) was copied instead of repaired");
    }

    [Fact]
    public void NoHolesMeansAnIdenticalCopy()
    {
        using var model = Fixture.LoadTiny();
        using var photo = Fixture.Photo(50, 40);
        using var repaired = new PhotoRepairer(model).Repair(photo, Fixture.Holes(50, 40, (_, _) => false), out var report);
        Assert.Equal(0, report.Windows);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 50; x++) Assert.Equal(photo[x, y], repaired[x, y]);
    }

    [Fact]
    public void TwelveMegapixelPhotoWithScratchesAndAHole()
    {
        using var model = Fixture.LoadTiny(batch: 32);
        const int w = 4000, h = 3000;
        using var photo = Fixture.Photo(w, h);
        var holes = Fixture.Holes(w, h, (x, y) =>
            (x is >= 1000 and < 1300 && y is >= 1000 and < 1300)                      // one big hole
            || Math.Abs(y - x * 0.7 - 100) < 2                                          // a long diagonal scratch
            || (Math.Abs(x - 3500) < 2 && y is > 200 and < 2800)                        // a vertical scratch
            || (x % 400 == 7 && y % 300 == 9));                                         // scattered specks
        var progress = new List<RepairProgress>();
        using var repaired = new PhotoRepairer(model).Repair(photo, holes, out var report, new Progress<RepairProgress>(progress.Add));
        Assert.True(report.Windows > 20);
        Fixture.AssertKnownPixelsIdentical(photo, repaired, holes);
    }

    [Fact]
    public void ProgressAndCancellation()
    {
        using var model = Fixture.LoadTiny(batch: 1);
        using var photo = Fixture.Photo(200, 200);
        var holes = Fixture.Holes(200, 200, (x, y) => x % 40 == 5 && y % 40 == 5);
        int reports = 0;
        var progress = new SyncProgress(_ => reports++);
        using (new PhotoRepairer(model).Repair(photo, holes, out var report, progress)) Assert.Equal(report.Windows, reports);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new PhotoRepairer(model).Repair(photo, holes, out _, cancellation: cancel.Token));
    }

    private sealed class SyncProgress(Action<RepairProgress> action) : IProgress<RepairProgress>
    {
        public void Report(RepairProgress value) => action(value);
    }

    [Fact]
    public void MaskConventionLuminanceAlphaInvertAndSize()
    {
        using var mask = new Image<Rgba32>(4, 2, new Rgba32(0, 0, 0, 255));
        mask[0, 0] = new Rgba32(255, 255, 255, 255);
        mask[1, 0] = new Rgba32(128, 128, 128, 255); // luminance 128: a hole
        mask[2, 0] = new Rgba32(127, 127, 127, 255);
        mask[3, 0] = new Rgba32(255, 0, 0, 255);     // red: luminance 76, known
        var luma = MaskRule.Read(mask, 4, 2);
        Assert.Equal(MaskSource.Luminance, luma.Source);
        Assert.Equal([true, true, false, false, false, false, false, false], luma.Holes);
        Assert.Equal([false, false, true, true, true, true, true, true], MaskRule.Read(mask, 4, 2, invert: true).Holes);

        mask[1, 1] = new Rgba32(0, 0, 0, 0); // transparent: the alpha rule applies to the whole mask
        var alpha = MaskRule.Read(mask, 4, 2);
        Assert.Equal(MaskSource.Alpha, alpha.Source);
        Assert.Equal([false, false, false, false, false, true, false, false], alpha.Holes);

        var wrongSize = Assert.Throws<MaskSizeException>(() => MaskRule.Read(mask, 8, 4));
        Assert.Equal((4, 2, 8, 4), (wrongSize.MaskWidth, wrongSize.MaskHeight, wrongSize.PhotoWidth, wrongSize.PhotoHeight));
        Assert.Equal(32, MaskRule.Read(mask, 8, 4, resize: true).Holes.Length);
    }

    [Fact]
    public void PushPullFillsEveryHoleSmoothly()
    {
        var planes = new RgbPlanes(10, 10);
        for (int i = 0; i < 100; i++) { planes.Data[i] = 100; planes.Data[100 + i] = 50; planes.Data[200 + i] = 200; }
        var holes = new bool[100];
        for (int i = 30; i < 70; i++) { holes[i] = true; planes.Data[i] = 255; }
        var filled = PushPullFill.Fill(planes, holes);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(100f, filled.Data[i], 3);
            Assert.Equal(50f, filled.Data[100 + i], 3);
        }
    }
}
