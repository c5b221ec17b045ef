using Inpaint.OnnxInpaint.Planning;

namespace Inpaint.OnnxInpaint.Tests;

public class PlanningTests
{
    private const int ModelSize = 128, Blank = 64;

    private static (IReadOnlyList<HoleRegion> Regions, int[] Labels, IReadOnlyList<RepairWindow> Windows) Plan(int w, int h, Func<int, int, bool> hole, int dilation = 0)
    {
        var map = Fixture.Holes(w, h, hole);
        var (regions, labels) = HoleRegions.Find(map.Holes, w, h, dilation);
        return (regions, labels, WindowPlanner.Plan(regions, labels, w, ModelSize, Blank, new RepairOptions()));
    }

    /// <summary>Every hole pixel lies in some window's cell, and every cell fits the blank square once scaled.</summary>
    private static void AssertCovered(int w, int h, int[] labels, IReadOnlyList<RepairWindow> windows)
    {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int id = labels[y * w + x];
                if (id < 0) continue;
                Assert.Contains(windows, win => win.Region == id && x >= win.Left && x < win.Right && y >= win.Top && y < win.Bottom);
            }
        foreach (var win in windows)
        {
            double scale = ModelSize / win.WindowSide;
            Assert.True(Math.Max(win.Right - win.Left, win.Bottom - win.Top) * scale <= Blank + 1e-9, $"cell does not fit: {win}");
            // The cell is centred in its window.
            Assert.Equal((win.Left + win.Right) / 2.0, win.WindowX + win.WindowSide / 2, 6);
        }
    }

    [Fact]
    public void SmallHoleGetsOneWindowAboutTwiceItsSize()
    {
        var (regions, labels, windows) = Plan(500, 400, (x, y) => x is >= 200 and < 240 && y is >= 100 and < 140);
        var region = Assert.Single(regions);
        Assert.Equal(1600, region.Area);
        var window = Assert.Single(windows);
        Assert.Equal(2 * 48, window.WindowSide, 6); // (40 + 2 * 4 feather) / (64 / 128)
        AssertCovered(500, 400, labels, windows);
    }

    [Fact]
    public void TinyHolesAreMagnifiedAtMostTwice()
    {
        var (_, labels, windows) = Plan(300, 300, (x, y) => (x % 50 == 10 && y % 50 == 10));
        Assert.Equal(36, windows.Count);
        Assert.All(windows, w => Assert.Equal(64, w.WindowSide, 6)); // 128 model px / 2x
        AssertCovered(300, 300, labels, windows);
    }

    [Fact]
    public void HolesAtBordersAndCornersAreCovered()
    {
        var (regions, labels, windows) = Plan(200, 150, (x, y) => (x < 10 && y < 10) || (x >= 190 && y >= 140) || (y == 0) || (x == 199 && y > 50));
        Assert.True(regions.Count >= 2);
        AssertCovered(200, 150, labels, windows);
        Assert.Contains(windows, w => w.WindowX < 0); // windows reach past the edge; sampling replicates it
    }

    [Fact]
    public void OneHugeHoleIsOneScaledWindow()
    {
        var (_, labels, windows) = Plan(1000, 1000, (x, y) => x is >= 200 and < 800 && y is >= 200 and < 800);
        var window = Assert.Single(windows);
        Assert.True(window.WindowSide > 1200);
        AssertCovered(1000, 1000, labels, windows);
    }

    [Fact]
    public void LongDiagonalScratchIsCoveredByWindowsAlongIt()
    {
        // A 5 px wide scratch from corner to corner of a 2000 x 1500 photo.
        var (regions, labels, windows) = Plan(2000, 1500, (x, y) => Math.Abs(y - x * 0.75) < 3);
        Assert.Single(regions);
        Assert.InRange(windows.Count, 15, 60);
        Assert.All(windows, w => Assert.True(w.WindowSide < 300, $"window {w.WindowSide} px is too coarse for a thin scratch"));
        AssertCovered(2000, 1500, labels, windows);
    }

    [Fact]
    public void GroupingDistanceMergesNearbyHolesButLabelsOnlyHolePixels()
    {
        Func<int, int, bool> dots = (x, y) => (x == 10 || x == 14) && y == 10;
        var (apart, _, _) = Plan(40, 40, dots);
        var (together, labels, _) = Plan(40, 40, dots, dilation: 3);
        Assert.Equal(2, apart.Count);
        Assert.Single(together);
        Assert.Equal(2, labels.Count(l => l >= 0));
    }

    [Fact]
    public void FeatherWeightsFallTowardsTheCellEdge()
    {
        var w = new RepairWindow(0, 0, 0, 20, 20, -10, -10, 40, 4);
        Assert.Equal(1f, w.Weight(10, 10));
        Assert.True(w.Weight(0, 10) < w.Weight(2, 10));
        Assert.True(w.Weight(0, 0) > 0);
    }
}
