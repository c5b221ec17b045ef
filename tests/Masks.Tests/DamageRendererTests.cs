using Inpaint.Masks;

namespace Inpaint.Masks.Tests;

public class DamageRendererTests
{
    private const int W = 96, H = 80;

    private static float[] Grey()
    {
        var image = new float[3 * W * H];
        for (int i = 0; i < image.Length; i++) image[i] = 90 + (i % W) % 40; // mid-grey with a ramp
        return image;
    }

    public static TheoryData<DamageKind> Kinds => new(DamageKinds.All);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachKindChangesPixelsAndLabelsExactlyTheVisiblyChangedOnes(DamageKind kind)
    {
        float[] before = Grey(), after = Grey();
        var label = new bool[W * H];
        DamageRenderer.Draw(kind, after, W, H, 0f, 255f, new Random(5), label);
        int plane = W * H, labelled = 0;
        for (int p = 0; p < plane; p++)
        {
            double change = Enumerable.Range(0, 3).Max(c => Math.Abs(after[c * plane + p] - before[c * plane + p]));
            Assert.Equal(change >= DamageRenderer.VisibleChange * 255 - 1e-3, label[p]);
            if (label[p]) labelled++;
        }
        Assert.True(labelled > 0, $"{kind} changed nothing visibly");
        Assert.True(labelled < plane / 2, $"{kind} covered {labelled} of {plane} pixels");
    }

    [Fact]
    public void TheSameSeedDrawsTheSameDamageAndAnotherSeedOther()
    {
        float[] a = Grey(), b = Grey(), c = Grey();
        var la = new bool[W * H];
        DamageRenderer.DrawMix(DamageKinds.All, 0, a, W, H, -1f, 1f, new Random(9), la);
        DamageRenderer.DrawMix(DamageKinds.All, 0, b, W, H, -1f, 1f, new Random(9), new bool[W * H]);
        DamageRenderer.DrawMix(DamageKinds.All, 0, c, W, H, -1f, 1f, new Random(10), new bool[W * H]);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DamageDrawnIntoAWindowIsThatWindowOfTheDamageOnTheWholePicture(DamageKind kind)
    {
        // A training crop is a window of a larger photo: what the window gets must be what the whole photo would show
        // there, so a caption larger than the crop shows as part of a caption.
        const int left = 24, top = 16, w = 48, h = 40;
        float[] whole = [];
        var wholeLabel = new bool[W * H];
        int seed = 11;
        while (!Window(wholeLabel, left, top, w, h).Contains(true)) // a seed whose damage reaches the window
        {
            whole = Grey();
            Array.Clear(wholeLabel);
            DamageRenderer.DrawMix([kind], 0, whole, W, H, 0f, 255f, new Random(++seed), wholeLabel);
        }
        float[] window = Window(Grey(), left, top, w, h);
        var windowLabel = new bool[w * h];
        DamageRenderer.DrawMix([kind], 0, window, new DamageFrame(W, H, left, top, w, h), 0f, 255f, new Random(seed), windowLabel);
        float[] expected = Window(whole, left, top, w, h);
        // Pixels next to the window's edge may differ: a blur or a drop shadow reaches them from outside the window.
        // Skia's anti-aliasing and blur can round a few edge pixels of a stroke differently on a smaller canvas.
        int differing = 0, relabelled = 0, interior = 0;
        for (int y = 2; y < h - 2; y++)
            for (int x = 2; x < w - 2; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int i = c * w * h + y * w + x;
                    Assert.True(Math.Abs(expected[i] - window[i]) <= 6f, $"{kind}: ({x}, {y}) is {window[i]}, the whole picture's {expected[i]}");
                    if (Math.Abs(expected[i] - window[i]) > 1.01f) differing++;
                }
                if (wholeLabel[(top + y) * W + left + x] != windowLabel[y * w + x]) relabelled++;
                interior++;
            }
        Assert.True(differing <= 3 * interior / 30, $"{kind}: {differing} values differ by more than a grey level");
        Assert.True(relabelled <= interior / 100, $"{kind}: {relabelled} pixels labelled differently");
        Assert.Contains(true, windowLabel);
    }

    private static T[] Window<T>(T[] planar, int left, int top, int w, int h)
    {
        int planes = planar.Length / (W * H);
        var result = new T[planes * w * h];
        for (int c = 0; c < planes; c++)
            for (int y = 0; y < h; y++)
                planar.AsSpan(c * W * H + (top + y) * W + left, w).CopyTo(result.AsSpan(c * w * h + y * w, w));
        return result;
    }

    [Fact]
    public void ACleanShareOfOneDrawsNothing()
    {
        float[] image = Grey();
        var label = new bool[W * H];
        Assert.Empty(DamageRenderer.DrawMix(DamageKinds.All, 1.0, image, W, H, 0f, 255f, new Random(1), label));
        Assert.Equal(Grey(), image);
        Assert.DoesNotContain(true, label);
    }

    [Fact]
    public void TheScoreIgnoresTheBandAroundDamageAndCountsTheRest()
    {
        const int w = 10, h = 1;
        bool[] truth = [false, false, false, true, true, false, false, false, false, false];
        bool[] found = [false, false, true, true, false, false, false, false, true, false]; // 2: in the band; 8: a false alarm
        var score = new DetectionScore();
        score.Add(truth, found, w, h);
        Assert.Equal(1, score.TruePositives);
        Assert.Equal(1, score.FalseNegatives);
        Assert.Equal(1, score.FalsePositives);
        Assert.Equal(0.5, score.Precision);
        Assert.Equal(0.5, score.Recall);
        Assert.Equal(0.5, score.F1);
        Assert.Equal(1.0 / 6, score.FlaggedShare, 6); // 6 pixels outside damage and band: 0, 1, 6, 7, 8, 9
    }
}
