using Inpaint.Imaging;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// The realism measures of <c>inpaint eval</c> (<see cref="RealismAccumulator"/>, docs/quality.md): texture ratio and
/// patch SWD, on small seeded images. The implementation agrees with the numpy reference of the prototype it came from
/// to 1e-6; these tests pin the properties the definitions promise.
/// </summary>
public class RealismTests
{
    private const int Size = 64;

    /// <summary>Independent uniform bytes: a texture whose every patch is different.</summary>
    private static byte[] Noise(int seed, int width = Size, int height = Size)
    {
        var rgb = new byte[3 * width * height];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    /// <summary>A centred square hole of side <paramref name="side"/>.</summary>
    private static bool[] Square(int side, int width = Size, int height = Size)
    {
        var holes = new bool[width * height];
        int left = (width - side) >> 1, top = (height - side) >> 1;
        for (int y = top; y < top + side; y++)
            for (int x = left; x < left + side; x++)
                holes[y * width + x] = true;
        return holes;
    }

    /// <summary><paramref name="truth"/> with its holes taken from <paramref name="fill"/>.</summary>
    private static byte[] Filled(byte[] truth, bool[] holes, byte[] fill)
    {
        var result = (byte[])truth.Clone();
        for (int i = 0; i < holes.Length; i++)
            if (holes[i]) Array.Copy(fill, 3 * i, result, 3 * i, 3);
        return result;
    }

    /// <summary><paramref name="truth"/> with its holes painted in the mean colour of the truth there.</summary>
    private static byte[] FlatFill(byte[] truth, bool[] holes)
    {
        var sum = new double[3];
        int count = holes.Count(h => h);
        for (int i = 0; i < holes.Length; i++)
            if (holes[i]) for (int c = 0; c < 3; c++) sum[c] += truth[3 * i + c];
        var result = (byte[])truth.Clone();
        for (int i = 0; i < holes.Length; i++)
            if (holes[i]) for (int c = 0; c < 3; c++) result[3 * i + c] = (byte)Math.Round(sum[c] / count);
        return result;
    }

    [Fact]
    public void AFlatFillScoresTextureZeroAndAHighSwd()
    {
        byte[] truth = Noise(1);
        bool[] holes = Square(32);
        var flat = new RealismAccumulator();
        flat.Add(truth, FlatFill(truth, holes), holes, Size, Size);
        Assert.Equal(0, flat.TextureRatio);
        // A flat fill of noise is far from the truth's patches at every level: about 600 on this scale.
        Assert.InRange(flat.PatchSwd, 300, 1500);
    }

    [Fact]
    public void TheTruthAgainstItselfScoresTextureOneAndSwdZero()
    {
        var same = new RealismAccumulator();
        for (int t = 0; t < 3; t++)
        {
            byte[] truth = Noise(10 + t);
            same.Add(truth, (byte[])truth.Clone(), Square(20 + 8 * t), Size, Size);
        }
        Assert.Equal(3, same.Tiles);
        Assert.Equal(1, same.TextureRatio);
        Assert.Equal(0, same.PatchSwd);
    }

    [Fact]
    public void ANoisyFillOfTheRightStatisticsBeatsAFlatFill()
    {
        // Four tiles pool 512 patches a level, so the sampling floor of two different noises stays well below a flat fill.
        var noisy = new RealismAccumulator();
        var flat = new RealismAccumulator();
        bool[] holes = Square(32);
        for (int t = 0; t < 4; t++)
        {
            byte[] truth = Noise(20 + t);
            noisy.Add(truth, Filled(truth, holes, Noise(40 + t)), holes, Size, Size);
            flat.Add(truth, FlatFill(truth, holes), holes, Size, Size);
        }
        Assert.InRange(noisy.TextureRatio, 0.85, 1.15);
        Assert.True(noisy.PatchSwd < 0.6 * flat.PatchSwd, $"noisy fill {noisy.PatchSwd:F1}, flat fill {flat.PatchSwd:F1}");
        Assert.True(noisy.PatchSwd > 0);
    }

    [Fact]
    public void TheSeedMakesTheSwdDeterministic()
    {
        double[] Run(int seed)
        {
            var realism = new RealismAccumulator(seed);
            bool[] holes = Square(24);
            for (int t = 0; t < 2; t++)
            {
                byte[] truth = Noise(60 + t);
                realism.Add(truth, Filled(truth, holes, Noise(70 + t)), holes, Size, Size);
            }
            return [realism.TextureRatio, realism.PatchSwd];
        }
        double[] first = Run(1), again = Run(1), other = Run(2);
        Assert.Equal(first[1], again[1]);
        Assert.Equal(first[0], again[0]);
        // Another seed draws other centres and directions: another value, of the same size; the ratio draws nothing.
        Assert.NotEqual(first[1], other[1]);
        Assert.InRange(other[1] / first[1], 0.8, 1.25);
        Assert.Equal(first[0], other[0]);
    }

    [Fact]
    public void TheTextureRatioPoolsTheSumsOfItsDefinition()
    {
        // Tile a: busy truth, flat fill (ratio 0 alone); tile b: quiet truth, filled with the truth (ratio 1 alone). Pooled
        // sums give Eb / (Ea + Eb), not the mean of the two ratios (0.5).
        bool[] holes = Square(30);
        byte[] busy = Noise(80);
        byte[] quiet = Noise(81).Select(v => (byte)(100 + v / 16)).ToArray();
        var realism = new RealismAccumulator();
        realism.Add(busy, FlatFill(busy, holes), holes, Size, Size);
        realism.Add(quiet, (byte[])quiet.Clone(), holes, Size, Size);
        double ea = EnergyByDefinition(busy, holes), eb = EnergyByDefinition(quiet, holes);
        Assert.True(ea > 50 * eb, $"{ea} vs {eb}");
        Assert.Equal(eb / (ea + eb), realism.TextureRatio, 12);
    }

    /// <summary>
    /// The definition written out: squared forward differences of BT.601 luma (0..1) at hole pixels whose whole 5x5
    /// neighbourhood lies inside the image and in the hole.
    /// </summary>
    private static double EnergyByDefinition(byte[] rgb, bool[] holes)
    {
        double Y(int x, int y) => (0.299 * rgb[3 * (y * Size + x)] + 0.587 * rgb[3 * (y * Size + x) + 1] + 0.114 * rgb[3 * (y * Size + x) + 2]) / 255;
        bool Inner(int x, int y)
        {
            for (int v = y - 2; v <= y + 2; v++)
                for (int u = x - 2; u <= x + 2; u++)
                    if (u < 0 || v < 0 || u >= Size || v >= Size || !holes[v * Size + u]) return false;
            return true;
        }
        double sum = 0;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                if (Inner(x, y)) sum += Math.Pow(Y(x + 1, y) - Y(x, y), 2) + Math.Pow(Y(x, y + 1) - Y(x, y), 2);
        return sum;
    }

    [Fact]
    public void ThinHolesHaveNoTextureRatioButAnSwd()
    {
        // A 3-px-wide stroke leaves nothing after the 2-px erosion; its patches still count at level 0.
        var holes = new bool[Size * Size];
        for (int y = 10; y < 50; y++) for (int x = 30; x < 33; x++) holes[y * Size + x] = true;
        byte[] truth = Noise(90);
        var realism = new RealismAccumulator();
        Assert.True(double.IsNaN(realism.PatchSwd));
        realism.Add(truth, FlatFill(truth, holes), holes, Size, Size);
        Assert.True(double.IsNaN(realism.TextureRatio));
        Assert.True(realism.PatchSwd > 0);
    }

    [Fact]
    public void BadInputIsRefusedWithAClearArgumentException()
    {
        var realism = new RealismAccumulator();
        byte[] truth = Noise(3);
        bool[] holes = Square(16);
        var shortResult = Assert.Throws<ArgumentException>(() => realism.Add(truth, new byte[3 * Size * (Size - 1)], holes, Size, Size));
        Assert.Equal("result", shortResult.ParamName);
        Assert.Contains("not the 12288 of a 64x64 RGB tile", shortResult.Message);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => realism.Add(truth, truth, holes, Size, Size + 1)).ParamName);
        var mask = Assert.Throws<ArgumentException>(() => realism.Add(truth, truth, new bool[10], Size, Size));
        Assert.Equal("holes", mask.ParamName);
        Assert.Contains("10 flags", mask.Message);
        var none = Assert.Throws<ArgumentException>(() => realism.Add(truth, truth, new bool[Size * Size], Size, Size));
        Assert.Contains("no hole pixel", none.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => realism.Add(truth, truth, holes, 0, Size));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealismAccumulator(patchesPerTile: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealismAccumulator(directions: -1));
        // Refused tiles leave nothing behind.
        Assert.Equal(0, realism.Tiles);
        Assert.True(double.IsNaN(realism.TextureRatio));
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(37, 21)]
    [InlineData(5, 3)]
    public void TheLaplacianPyramidCollapsesBackToTheImage(int width, int height)
    {
        byte[] rgb = Noise(5, width, height);
        RgbPlane[] pyramid = LaplacianPyramid.Build(rgb, width, height, 3);
        Assert.Equal((width + 3) / 4, pyramid[2].Width);
        Assert.Equal((height + 3) / 4, pyramid[2].Height);
        RgbPlane image = pyramid[2];
        for (int k = 1; k >= 0; k--)
        {
            RgbPlane up = LaplacianPyramid.Expand(image, pyramid[k].Width, pyramid[k].Height);
            image = new RgbPlane(up.Width, up.Height);
            for (int i = 0; i < image.Values.Length; i++) image.Values[i] = pyramid[k].Values[i] + up.Values[i];
        }
        for (int i = 0; i < rgb.Length; i++) Assert.Equal(rgb[i] / 255.0, image.Values[i], 12);
    }

    [Fact]
    public void ReduceIsTheBinomialAtEvenPixelsWithEdgesReplicated()
    {
        var plane = new RgbPlane(9, 1);
        for (int x = 0; x < 9; x++) plane.Values[3 * x] = x;
        RgbPlane reduced = LaplacianPyramid.Reduce(plane);
        Assert.Equal(5, reduced.Width);
        Assert.Equal((4 * 1 + 1 * 2) / 16.0, reduced.Values[0], 15);
        Assert.Equal((1 * 2 + 4 * 3 + 6 * 4 + 4 * 5 + 1 * 6) / 16.0, reduced.Values[3 * 2], 15);
        Assert.Equal((1 * 6 + 4 * 7 + 6 * 8 + 4 * 8 + 1 * 8) / 16.0, reduced.Values[3 * 4], 15);
    }

    [Fact]
    public void ExpandIsBilinearWithCoarsePixelsOnEvenFinePixels()
    {
        var coarse = new RgbPlane(3, 1);
        for (int j = 0; j < 3; j++) coarse.Values[3 * j + 1] = 2 * j;
        Assert.Equal([0.0, 1, 2, 3, 4], Channel(LaplacianPyramid.Expand(coarse, 5, 1), 1));
        Assert.Equal([0.0, 1, 2, 3, 4, 4], Channel(LaplacianPyramid.Expand(coarse, 6, 1), 1));
        var column = new RgbPlane(1, 2);
        column.Values[3 * 1 + 2] = 8;
        Assert.Equal([0.0, 4, 8, 8], Channel(LaplacianPyramid.Expand(column, 1, 4), 2));
    }

    private static double[] Channel(RgbPlane plane, int c) => Enumerable.Range(0, plane.Width * plane.Height).Select(i => plane.Values[3 * i + c]).ToArray();
}
