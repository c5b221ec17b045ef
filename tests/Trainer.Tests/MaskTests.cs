using Inpaint.Trainer.Masks;

namespace Inpaint.Trainer.Tests;

public class MaskTests
{
    [Fact]
    public void CenterHoleIsTheArticlesSquare()
    {
        Assert.Equal((32, 32), HoleMask.Place(MaskMode.Center, 128, 64, new Random(1)));
    }

    [Fact]
    public void SquareHolesStayInsideAndCoverTheRange()
    {
        var rng = new Random(5);
        var xs = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            var (x, y) = HoleMask.Place(MaskMode.Square, 128, 64, rng);
            Assert.InRange(x, 0, 64);
            Assert.InRange(y, 0, 64);
            xs.Add(x);
        }
        Assert.Contains(0, xs);
        Assert.Contains(64, xs);
    }

    [Fact]
    public void BlankFillsExactlyTheHoleShrunkByTheOverlap()
    {
        const int size = 16, hole = 8, overlap = 2;
        var image = new float[3 * size * size];
        HoleMask.Blank(image, size, 4, 6, hole, overlap, [1f, 0.5f, -1f]);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool inside = x >= 6 && x < 10 && y >= 8 && y < 12;
                    float expected = inside ? new[] { 1f, 0.5f, -1f }[c] : 0f;
                    Assert.Equal(expected, image[c * size * size + y * size + x]);
                }
    }

    [Fact]
    public void CopyPatchTakesThePixelsUnderTheHole()
    {
        const int size = 8;
        var image = Enumerable.Range(0, 3 * size * size).Select(i => (float)i).ToArray();
        var patch = new float[3 * 4 * 4];
        HoleMask.CopyPatch(image, size, 2, 3, 4, patch);
        Assert.Equal(image[3 * size + 2], patch[0]);
        Assert.Equal(image[2 * size * size + 6 * size + 5], patch[^1]);
    }

    [Fact]
    public void OverlapRimIsWeightedMore()
    {
        float[] w = HoleMask.PatchWeights(8, 2, 10f);
        Assert.Equal(10f, w[0]);
        Assert.Equal(1f, w[2 * 8 + 2]);
        Assert.Equal(10f, w[2 * 8 + 6]);
        Assert.Equal(16, w.Count(v => v == 1f));
    }
}
