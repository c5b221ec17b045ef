using Inpaint.Contract;

namespace Inpaint.Masks.Tests;

public class MaskGeneratorTests
{
    public static TheoryData<MaskKind> Kinds => new(Enum.GetValues<MaskKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_same_seed_gives_the_same_mask(MaskKind kind)
    {
        byte[] a = MaskGenerator.Coverage(kind, 128, 96, new Random(42));
        byte[] b = MaskGenerator.Coverage(kind, 128, 96, new Random(42));
        Assert.Equal(a, b);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Masks_cover_a_plausible_share_of_the_image(MaskKind kind)
    {
        // Over 200 seeds, each kind's hole share stays within the range its description promises.
        var shares = Enumerable.Range(0, 200).Select(seed => MaskGenerator.Holes(kind, 128, 128, new Random(seed)).Count(h => h) / (128.0 * 128)).ToList();
        var (low, high) = kind switch
        {
            MaskKind.Center or MaskKind.Square => (0.25, 0.25),
            MaskKind.Box => (0.015, 0.5),
            MaskKind.Strokes => (0.005, 0.7),
            MaskKind.Scratch => (0.0005, 0.25),
            MaskKind.Text => (0.003, 0.5),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Assert.InRange(shares.Min(), low * 0.95, high * 1.05);
        Assert.InRange(shares.Max(), low * 0.95, high * 1.05);
        Assert.True(shares.Distinct().Count() > (kind is MaskKind.Center or MaskKind.Square ? 0 : 150), $"{kind} masks should vary from seed to seed");
    }

    [Fact]
    public void The_centre_mask_is_the_contract_square()
    {
        bool[] holes = MaskGenerator.Holes(MaskKind.Center, 128, 128, new Random(1));
        var square = CenterSquare.HalfOf(128, 128);
        for (int y = 0; y < 128; y++)
            for (int x = 0; x < 128; x++)
                Assert.Equal(square.Contains(x, y), holes[y * 128 + x]);
    }

    [Fact]
    public void Scratches_are_thin()
    {
        // Thin: almost every hole pixel has a known pixel within 3 px (a 6 px line's centre is 3 px from its edge).
        for (int seed = 0; seed < 50; seed++)
        {
            bool[] holes = MaskGenerator.Holes(MaskKind.Scratch, 128, 128, new Random(seed));
            int far = 0, total = 0;
            for (int y = 0; y < 128; y++)
                for (int x = 0; x < 128; x++)
                {
                    if (!holes[y * 128 + x]) continue;
                    total++;
                    if (!HasKnownWithin(holes, 128, x, y, 4)) far++;
                }
            Assert.True(far <= total / 20, $"seed {seed}: {far} of {total} scratch pixels are far from known pixels");
        }
    }

    [Fact]
    public void Text_has_anti_aliased_edges_and_glyph_holes()
    {
        byte[] coverage = MaskGenerator.Coverage(MaskKind.Text, 256, 256, new Random(3));
        Assert.Contains(coverage, v => v is > 20 and < 235); // edges are anti-aliased, not a hard raster
        Assert.Contains(coverage, v => v == 255);
        // Real glyphs: the text is made of many separate strokes, not one blob.
        bool[] holes = MaskGenerator.ToHoles(coverage);
        Assert.True(Components(holes, 256, 256) >= 3);
    }

    [Fact]
    public void A_mix_draws_every_kind_by_weight()
    {
        var mix = MaskMix.Parse("strokes=3,scratch=1,text=0,center=1");
        var rng = new Random(5);
        var counts = new Dictionary<MaskKind, int>();
        for (int i = 0; i < 5000; i++)
        {
            MaskKind kind = mix.Pick(rng);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        Assert.False(counts.ContainsKey(MaskKind.Text));
        Assert.InRange(counts[MaskKind.Strokes] / (double)counts[MaskKind.Scratch], 2.5, 3.5);
        Assert.Equal("center=1,strokes=3,scratch=1", mix.ToString());
        // "freeform" was the strokes' word before it became the model family's: still read.
        Assert.Equal(mix.ToString(), MaskMix.Parse("freeform=3,scratch=1,center=1").ToString());
    }

    [Theory]
    [InlineData("blob=1")]
    [InlineData("freeform=x")]
    [InlineData("freeform=0")]
    [InlineData("freeform=-1,text=2")]
    [InlineData("freeform=1,combine=2")]
    public void Bad_mixes_are_refused_with_a_reason(string text)
    {
        var e = Assert.Throws<FormatException>(() => MaskMix.Parse(text));
        Assert.NotEmpty(e.Message);
    }

    [Fact]
    public void Generators_are_safe_to_share_between_threads()
    {
        var expected = Enumerable.Range(0, 32).Select(i => MaskGenerator.Coverage(MaskMix.Default, 96, 96, new Random(i))).ToList();
        var actual = new byte[32][];
        Parallel.For(0, 32, i => actual[i] = MaskGenerator.Coverage(MaskMix.Default, 96, 96, new Random(i)));
        for (int i = 0; i < 32; i++) Assert.Equal(expected[i], actual[i]);
    }

    private static bool HasKnownWithin(bool[] holes, int size, int x, int y, int r)
    {
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < size && ny < size && !holes[ny * size + nx]) return true;
            }
        return false;
    }

    private static int Components(bool[] holes, int w, int h)
    {
        var seen = new bool[holes.Length];
        int count = 0;
        var stack = new Stack<int>();
        for (int i = 0; i < holes.Length; i++)
        {
            if (!holes[i] || seen[i]) continue;
            count++;
            seen[i] = true;
            stack.Push(i);
            while (stack.Count > 0)
            {
                int j = stack.Pop(), x = j % w, y = j / w;
                foreach (var (nx, ny) in new[] { (x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1) })
                {
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    int n = ny * w + nx;
                    if (holes[n] && !seen[n]) { seen[n] = true; stack.Push(n); }
                }
            }
        }
        return count;
    }
}
