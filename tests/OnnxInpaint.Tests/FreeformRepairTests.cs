using Inpaint.Contract;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class FreeformRepairTests
{
    public static TheoryData<int, int, string> Shapes => new()
    {
        { 1, 7, "all" }, { 7, 1, "dots" }, { 3, 300, "dots" }, { 45, 33, "stroke" }, { 200, 150, "stroke" }, { 257, 129, "border" }, { 96, 96, "dots" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KnownPixelsStayBitIdenticalAtAnySize(int width, int height, string kind)
    {
        using var model = Fixture.LoadFreeform();
        using var photo = Fixture.Photo(width, height, seed: width + height);
        var rng = new Random(width * 7 + height);
        HoleMap holes = Fixture.Holes(width, height, (x, y) => kind switch
        {
            "all" => x < width - 1 || y > 0 ? true : false,
            "dots" => rng.Next(9) == 0 || (x == width / 2 && y == height / 2),
            "stroke" => Math.Abs(x - y * width / (double)height) < 4,
            _ => x < 3 || y < 3 || x >= width - 3,
        });
        var repairer = new PhotoRepairer(model, new RepairOptions { AllowLargeHoles = true }); // "all" is all but one pixel
        if (Math.Min(width, height) < model.Contract.MinSize)
        {
            // Below the model's smallest side a repair is refused, with both sizes, rather than guessed.
            var e = Assert.Throws<PhotoTooSmallException>(() => repairer.Repair(photo, holes, out _));
            Assert.Equal((width, height, model.Contract.MinSize), (e.Width, e.Height, e.MinSize));
            return;
        }
        using var repaired = repairer.Repair(photo, holes, out RepairReport report);
        Fixture.AssertKnownPixelsIdentical(photo, repaired, holes);
        Assert.Equal(holes.Count, report.HolePixels);
    }

    [Fact]
    public void HolesOverMostOfThePhotoAreRefusedUnlessAllowedAndNoKnownPixelAlways()
    {
        using var model = Fixture.LoadFreeform();
        using var photo = Fixture.Photo(40, 30, seed: 2);
        HoleMap most = Fixture.Holes(40, 30, (x, _) => x >= 10), all = Fixture.Holes(40, 30, (_, _) => true);
        var e = Assert.Throws<LargeHolesException>(() => new PhotoRepairer(model).Repair(photo, most, out _));
        Assert.Equal((0.75, HoleCheck.LargeShare, false), (e.Share, e.Limit, e.NoKnownPixel));
        using (var repaired = new PhotoRepairer(model, new RepairOptions { AllowLargeHoles = true }).Repair(photo, most, out _))
            Fixture.AssertKnownPixelsIdentical(photo, repaired, most);
        var none = Assert.Throws<LargeHolesException>(() => new PhotoRepairer(model, new RepairOptions { AllowLargeHoles = true }).Repair(photo, all, out _));
        Assert.True(none.NoKnownPixel);
        // At the limit itself a repair goes ahead.
        using (new PhotoRepairer(model).Repair(photo, Fixture.Holes(40, 30, (x, _) => x >= 16), out _)) { }
    }

    [Fact]
    public void TilesAgreeWithOneTileOverTheWholePhoto()
    {
        using var model = Fixture.LoadFreeform();
        using var photo = Fixture.Photo(150, 100, seed: 3);
        HoleMap holes = Fixture.Holes(150, 100, (x, y) => (Math.Abs(x - 75) < 3) || (Math.Abs(y - 50) < 2 && x > 20 && x < 130) || ((x - 40) * (x - 40) + (y - 30) * (y - 30) < 30));
        using var whole = new PhotoRepairer(model, new RepairOptions { Tile = 512 }).Repair(photo, holes, out RepairReport one);
        using var tiled = new PhotoRepairer(model, new RepairOptions { Tile = 48, Context = 12 }).Repair(photo, holes, out RepairReport many);
        Assert.Equal(1, one.Windows);
        Assert.True(many.Windows > 6, $"{many.Windows} tiles");
        double sum = 0;
        int n = 0;
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 150; x++)
            {
                if (!holes.Holes[y * 150 + x]) continue;
                var (a, b) = (whole[x, y], tiled[x, y]);
                sum += Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B);
                n += 3;
            }
        Assert.True(sum / n < 6, $"tiled and whole repairs differ by {sum / n:F2} grey levels on average");
    }

    [Fact]
    public void AHoleLargerThanATileIsRepairedFromACoarserScale()
    {
        using var model = Fixture.LoadFreeform();
        using var photo = new Image<Rgba32>(240, 200);
        var rng = new Random(1);
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 240; x++)
                photo[x, y] = new Rgba32((byte)(190 + rng.Next(20)), (byte)(50 + rng.Next(20)), (byte)(30 + rng.Next(10)), 255);
        HoleMap holes = Fixture.Holes(240, 200, (x, y) => x is >= 40 and < 200 && y is >= 30 and < 170);
        using var repaired = new PhotoRepairer(model).Repair(photo, holes, out RepairReport report);
        Assert.True(report.Scales > 1, "a 160x140 hole with 64 px tiles needs a coarser pass");
        Fixture.AssertKnownPixelsIdentical(photo, repaired, holes);
        // The middle of the hole, far from any tile's context, takes the surrounding colour, not the empty fill's grey.
        Rgba32 centre = repaired[120, 100];
        Assert.InRange(centre.R, 170, 230);
        Assert.InRange(centre.G, 35, 85);
        Assert.InRange(centre.B, 15, 60);
    }

    [Fact]
    public void ManyTinyHolesShareTiles()
    {
        using var model = Fixture.LoadFreeform();
        using var photo = Fixture.Photo(640, 400, seed: 5);
        var rng = new Random(11);
        HoleMap holes = Fixture.Holes(640, 400, (_, _) => rng.Next(100) == 0);
        using var repaired = new PhotoRepairer(model).Repair(photo, holes, out RepairReport report);
        Assert.True(holes.Count > 2000);
        // One tile per cell of the grid, however many holes it holds: 64 px tiles with 8 px of context, 48 px cells.
        Assert.True(report.Windows <= 14 * 9, $"{report.Windows} tiles for {holes.Count} holes");
        Fixture.AssertKnownPixelsIdentical(photo, repaired, holes);
    }

    [Fact]
    public void TheSameInputGivesTheSameBytes()
    {
        using var model = Fixture.LoadFreeform();
        using var photo = Fixture.Photo(130, 90, seed: 2);
        HoleMap holes = Fixture.Holes(130, 90, (x, y) => (x + 2 * y) % 23 < 3);
        using var a = new PhotoRepairer(model).Repair(photo, holes, out _);
        using var b = new PhotoRepairer(model, new RepairOptions { BatchSize = 1 }).Repair(photo, holes, out _);
        for (int y = 0; y < 90; y++)
            for (int x = 0; x < 130; x++)
                Assert.Equal(a[x, y], b[x, y]);
    }

    /// <summary>Hides the model's pre-filled path: every call runs the graph's own pre-fill.</summary>
    private sealed class GraphPrefillOnly(IInpaintRunner model) : IInpaintRunner
    {
        public ModelContract Contract => model.Contract;
        public int PreferredBatchSize => model.PreferredBatchSize;
        public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width,
            CancellationToken cancellation = default) => model.Run(image, mask, output, batch, height, width, cancellation);
    }

    /// <summary>Counts the calls that bring their own pre-fill.</summary>
    private sealed class CountingRunner(IInpaintRunner model) : IInpaintRunner
    {
        public ModelContract Contract => model.Contract;
        public int PreferredBatchSize => model.PreferredBatchSize;
        public int Plain, Prefilled;

        public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width,
            CancellationToken cancellation = default)
        {
            Plain++;
            model.Run(image, mask, output, batch, height, width, cancellation);
        }

        public void RunPrefilled(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
            int height, int width, CancellationToken cancellation = default)
        {
            Prefilled++;
            model.RunPrefilled(image, prefilled, mask, output, batch, height, width, cancellation);
        }
    }

    [Fact]
    public void TheManagedPreFillGivesTheGraphsRepairWithinAGreyLevel()
    {
        using var model = Fixture.LoadFreeform();
        Assert.True(model.Contract.HasPrefilledPath, "the fixture takes a caller's pre-fill (inpaint.prefilled)");
        using var photo = Fixture.Photo(200, 150, seed: 4);
        HoleMap holes = Fixture.Holes(200, 150, (x, y) => Math.Abs(x - 2 * y + 40) < 4 || (x is > 120 and < 160 && y is > 20 && y < 70));
        var counting = new CountingRunner(model);
        using var managed = new PhotoRepairer(counting).Repair(photo, holes, out _);
        using var graph = new PhotoRepairer(new GraphPrefillOnly(model)).Repair(photo, holes, out _);
        Assert.True(counting.Prefilled > 0 && counting.Plain == 0, $"{counting.Prefilled} calls with the managed pre-fill, {counting.Plain} without");
        Fixture.AssertKnownPixelsIdentical(photo, managed, holes);
        int worst = 0;
        for (int y = 0; y < 150; y++)
            for (int x = 0; x < 200; x++)
            {
                Rgba32 a = managed[x, y], b = graph[x, y];
                worst = Math.Max(worst, Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B))));
            }
        Assert.InRange(worst, 0, 1);
    }

    [Fact]
    public void ADifferentPreFillChangesTheRepairSoTheInputIsUsed()
    {
        using var model = Fixture.LoadFreeform();
        int s = 32, plane = s * s;
        var image = new float[3 * plane];
        var mask = new float[plane];
        for (int i = 0; i < image.Length; i++) image[i] = i * 7 % 256;
        for (int p = 0; p < plane; p++) mask[p] = p % s is > 10 and < 20 ? 255 : 0;
        var grey = Enumerable.Repeat(128f, 3 * plane).ToArray();
        var own = new float[3 * plane];
        var fed = new float[3 * plane];
        model.Run(image, mask, own, 1, s, s);
        model.RunPrefilled(image, grey, mask, fed, 1, s, s);
        Assert.True(own.Zip(fed).Max(v => Math.Abs(v.First - v.Second)) > 1);
        for (int p = 0; p < plane; p++)
            if (mask[p] == 0) Assert.Equal(image[p], fed[p]);
    }

    [Fact]
    public void GrowWidensTheHolesBySquareDilation()
    {
        HoleMap holes = Fixture.Holes(9, 9, (x, y) => x == 4 && y == 4);
        HoleMap grown = holes.Grow(2);
        Assert.Equal(25, grown.Count);
        Assert.True(grown.Holes[2 * 9 + 2] && grown.Holes[6 * 9 + 6] && !grown.Holes[1 * 9 + 4]);
        Assert.Same(holes, holes.Grow(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => holes.Grow(-1));
    }
}
