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
