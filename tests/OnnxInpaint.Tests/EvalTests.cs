using Inpaint.Contract;
using Inpaint.Imaging;
using System.Text.Json.Nodes;
using Inpaint.Cli;
using Inpaint.Cli.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class EvalTests
{
    [Fact]
    public void MetricsAreExactOnKnownCases()
    {
        var truth = new byte[3 * 16 * 16];
        var holes = new bool[16 * 16];
        for (int i = 0; i < 64; i++) holes[i] = true;
        var same = QualityMetrics.Measure(truth, (byte[])truth.Clone(), holes, 16, 16);
        Assert.Equal(100, same.HolePsnr, 6);
        Assert.Equal(1, same.Ssim, 6);
        Assert.Equal(1, same.MaskedSsim, 6);
        var off = (byte[])truth.Clone();
        for (int i = 0; i < 3 * 64; i++) off[i] = 51; // 0.2 everywhere in the hole
        var q = QualityMetrics.Measure(truth, off, holes, 16, 16);
        Assert.Equal(0.2, q.L1, 6);
        Assert.Equal(0.04, q.L2, 6);
        Assert.Equal(10 * Math.Log10(1 / 0.04), q.HolePsnr, 6);
        Assert.Equal(10 * Math.Log10(1 / 0.01), q.Psnr, 6); // a quarter of the image is off by 0.2
        Assert.Throws<ArgumentException>(() => QualityMetrics.Measure(truth, off, new bool[256], 16, 16));
    }

    [Theory]
    [InlineData(-0.001, 2, "+0.00")] // .NET alone writes "-+0.00" for this with "+0.00;-0.00"
    [InlineData(-0.4, 2, "-0.40")]
    [InlineData(1.234, 2, "+1.23")]
    [InlineData(0, 2, "+0.00")]
    [InlineData(-2.06, 1, "-2.1")]
    public void GainsAreSignedAndZeroIsNeverNegative(double value, int decimals, string expected) =>
        Assert.Equal(expected, Inpaint.Hosting.SignedNumber.Format(value, decimals));

    [Fact]
    public void DiversityIsTheMeanPairwiseHoleL1()
    {
        var holes = new bool[4 * 4];
        for (int i = 0; i < 8; i++) holes[i] = true;
        var a = new byte[3 * 16];
        var b = (byte[])a.Clone();
        var c = (byte[])a.Clone();
        for (int i = 0; i < 3 * 8; i++) { b[i] = 51; c[i] = 102; } // 0.2 and 0.4 in the hole
        for (int i = 3 * 8; i < b.Length; i++) b[i] = 255; // outside the hole: not counted
        Assert.Equal(0, QualityMetrics.Diversity([a, (byte[])a.Clone()], holes), 9);
        Assert.Equal(0.2, QualityMetrics.Diversity([a, b], holes), 9);
        Assert.Equal((0.2 + 0.4 + 0.2) / 3, QualityMetrics.Diversity([a, b, c], holes), 9);
        Assert.Throws<ArgumentException>(() => QualityMetrics.Diversity([a], holes));
        Assert.Throws<ArgumentException>(() => QualityMetrics.Diversity([a, b], new bool[16]));
    }

    [Fact]
    public void EvalReportsTheDiversityOfTextureVariants()
    {
        string dir = Fixture.TempDir();
        using (var photo = Fixture.Photo(90, 70, seed: 3)) photo.SaveAsPng(Path.Combine(dir, "p.png"));
        string json = Path.Combine(dir, "eval.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["eval", "--images", dir, "--mask", "center", "--tile", "32", "--model", Fixture.FreeformModel, "--fill", "texture,smooth",
            "--variants", "3", "--cv-radius", "", "--cv-xphoto", "", "--device", "cpu", "--json", json], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("diversity", stdout.ToString());
        var results = JsonNode.Parse(File.ReadAllText(json))!["masks"]!["center"]!["results"]!.AsObject();
        // Texture variants are synthesised with different seeds, so they differ; the smooth fill is the model's alone.
        Assert.True(results.Single(r => r.Key.EndsWith("texture)")).Value!["diversity"]!["Mean"]!.GetValue<double>() > 0);
        Assert.Equal(0, results.Single(r => r.Key.EndsWith("smooth)")).Value!["diversity"]!["Mean"]!.GetValue<double>());
        stdout = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["eval", "--images", dir, "--mask", "center", "--tile", "32", "--model", Fixture.FreeformModel,
            "--cv-radius", "", "--cv-xphoto", "", "--device", "cpu", "--json", json], stdout, stderr));
        Assert.Null(JsonNode.Parse(File.ReadAllText(json))!["masks"]!["center"]!["results"]!.AsObject().Single().Value!["diversity"]);
        Assert.Equal(ExitCodes.Usage, InpaintCli.Run(["eval", "--images", dir, "--variants", "0", "--cv-radius", "", "--cv-xphoto", ""], stdout, stderr));
    }

    [Fact]
    public void SsimOfTwoFlatImagesHasItsClosedForm()
    {
        // Flat images a and b: every window has zero variance, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) exactly.
        const double C1 = 0.01 * 0.01;
        var a = Enumerable.Repeat((byte)200, 3 * 20 * 20).ToArray();
        var b = Enumerable.Repeat((byte)120, 3 * 20 * 20).ToArray();
        double va = 200 / 255.0, vb = 120 / 255.0;
        var (all, masked) = QualityMetrics.Ssim(a, b, Enumerable.Repeat(true, 400).ToArray(), 20, 20);
        Assert.Equal((2 * va * vb + C1) / (va * va + vb * vb + C1), all, 9);
        Assert.Equal(all, masked, 9);
    }

    [Fact]
    public void SsimMatchesADirectWindowByWindowComputation()
    {
        // The reference: the textbook definition computed directly (2-D Gaussian weights per 11x11 window), not the
        // separable filtering the implementation uses.
        var rng = new Random(8);
        int w = 23, h = 19;
        byte[] a = Enumerable.Range(0, 3 * w * h).Select(_ => (byte)rng.Next(256)).ToArray();
        byte[] b = a.Select(v => (byte)Math.Clamp(v + rng.Next(-40, 41), 0, 255)).ToArray();
        bool[] holes = Enumerable.Range(0, w * h).Select(i => i % w > 15 && i / w < 5).ToArray();
        var (all, masked) = QualityMetrics.Ssim(a, b, holes, w, h);
        double g(int i) => Math.Exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
        double norm = Enumerable.Range(0, 11).Sum(g);
        double sumAll = 0, sumMasked = 0;
        int nAll = 0, nMasked = 0;
        for (int c = 0; c < 3; c++)
            for (int y0 = 0; y0 + 11 <= h; y0++)
                for (int x0 = 0; x0 + 11 <= w; x0++)
                {
                    double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
                    bool touches = false;
                    for (int j = 0; j < 11; j++)
                        for (int i = 0; i < 11; i++)
                        {
                            double weight = g(i) * g(j) / (norm * norm);
                            int k = (y0 + j) * w + x0 + i;
                            double va = a[3 * k + c] / 255.0, vb = b[3 * k + c] / 255.0;
                            ma += weight * va; mb += weight * vb; saa += weight * va * va; sbb += weight * vb * vb; sab += weight * va * vb;
                            touches |= holes[k];
                        }
                    double s = (2 * ma * mb + 1e-4) * (2 * (sab - ma * mb) + 9e-4) / ((ma * ma + mb * mb + 1e-4) * (saa - ma * ma + sbb - mb * mb + 9e-4));
                    sumAll += s; nAll++;
                    if (touches) { sumMasked += s; nMasked++; }
                }
        Assert.Equal(sumAll / nAll, all, 9);
        Assert.Equal(sumMasked / nMasked, masked, 9);
        Assert.True(masked != all);
    }

    [Fact]
    public void EvalPrintsTheTableAndWritesJson()
    {
        string dir = Fixture.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        for (int i = 0; i < 2; i++) using (var photo = Fixture.Photo(90, 70, seed: i + 1)) photo.SaveAsPng(Path.Combine(dir, i == 0 ? "p0.png" : "sub/p1.png"));
        if (!OpenCvBaselines.TryLoad(out string missing))
        {
            // No OpenCV (GTK 3) here: eval with baselines must refuse with that one line; without them it still runs.
            var error = new StringWriter();
            Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["eval", "--images", dir], new StringWriter(), error));
            Assert.Contains(missing, error.ToString());
        }
        string json = Path.Combine(dir, "eval.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string radii = OpenCvBaselines.TryLoad(out _) ? "3,5" : "";
        string xphoto = radii == "" ? "" : "fsr,shiftmap";
        int code = InpaintCli.Run(["eval", "--images", dir, "--mask", "text,center", "--tile", "32", "--model", Fixture.TinyModel, "--model", Fixture.FreeformModel,
            "--cv-radius", radii, "--cv-xphoto", xphoto, "--device", "cpu", "--json", json], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string text = stdout.ToString();
        Assert.Contains("2 photos", text);
        Assert.Contains("mask center: 8 tiles from 2 photos", text);
        Assert.Contains("freeform-tiny (freeform-tiny.onnx)", text);
        if (radii != "") Assert.Contains("opencv navier-stokes r5", text);
        if (xphoto != "") Assert.Contains("opencv xphoto shift-map", text);
        Assert.Contains("texture", text);
        Assert.Contains("SWD", text);
        var masks = JsonNode.Parse(File.ReadAllText(json))!["masks"]!.AsObject();
        Assert.Equal(2, masks.Count);
        var centre = masks["center"]!["results"]!.AsObject();
        Assert.Equal(radii == "" ? 2 : 8, centre.Count);
        foreach (var (_, r) in centre)
        {
            double psnr = r!["hole_psnr"]!["Mean"]!.GetValue<double>();
            Assert.InRange(psnr, 8, 60);
            Assert.True(r["hole_psnr"]!["Half"]!.GetValue<double>() > 0);
            Assert.InRange(r["masked_ssim"]!["Mean"]!.GetValue<double>(), 0, 1);
            // The realism measures, pooled over the kind's tiles: no method reproduces the truth exactly. (The SWD has no
            // upper bound: these smooth photos have little detail to normalise by, so a poor fill scores in the thousands.)
            Assert.InRange(r["texture_ratio"]!.GetValue<double>(), 0, 10);
            Assert.True(r["patch_swd"]!.GetValue<double>() > 0);
        }
        var realism = JsonNode.Parse(File.ReadAllText(json))!["realism"]!;
        Assert.Equal(1, realism["seed"]!.GetValue<int>());
        Assert.Equal(1000, realism["swd_scale"]!.GetValue<int>());
        // Text strokes are thinner than the 5x5 erosion in places; where none survives the ratio is null, not NaN.
        foreach (var (_, r) in masks["text"]!["results"]!.AsObject())
            Assert.True(r!["texture_ratio"] is null || r["texture_ratio"]!.GetValue<double>() >= 0);
        // The first method's lead over each other method, paired tile by tile: its mean is the difference of the means.
        var lead = masks["center"]!["first_method_lead_hole_psnr"]!.AsObject();
        Assert.Equal(centre.Count - 1, lead.Count);
        string first = centre.First().Key;
        foreach (var (other, d) in lead)
            Assert.Equal(centre[first]!["hole_psnr"]!["Mean"]!.GetValue<double>() - centre[other]!["hole_psnr"]!["Mean"]!.GetValue<double>(), d!["Mean"]!.GetValue<double>(), 6);
        Assert.Contains($"  {first} - {lead.First().Key}: ", text);
        Assert.Contains("paired over the tiles (", text);

        string maskDir = Path.Combine(dir, "masks");
        Directory.CreateDirectory(maskDir);
        foreach (string name in new[] { "p0", "p1" })
            using (var m = new Image<Rgba32>(90, 70, new Rgba32(0, 0, 0, 255)))
            {
                for (int y = 20; y < 40; y++) for (int x = 30; x < 50; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
                m.SaveAsPng(Path.Combine(maskDir, $"{name}.png"));
            }
        stdout = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["eval", "--images", Path.Combine(dir, "sub"), "--mask", maskDir, "--model", Fixture.FreeformModel, "--cv-radius", "", "--cv-xphoto", "", "--device", "cpu"], stdout, stderr));
        Assert.Contains("1 tiles from 1 photos", stdout.ToString());
        Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["eval", "--images", dir, "--mask", "zigzag", "--cv-radius", "", "--cv-xphoto", "", "--model", Fixture.TinyModel], stdout, stderr));
    }

    [Fact]
    public void BenchCountsTheGeneratorsFlops()
    {
        // tiny: conv 3->8 k4 s2 on 32 -> 16: 2*3*8*16*16*16 = 196,608 multiply-adds x2 for the first layer alone.
        var spec = new ModelSpec
        {
            ImageSize = 32,
            Layers = [new LayerSpec { Kind = LayerKinds.Conv, InChannels = 3, OutChannels = 8, Kernel = 4, Stride = 2, Padding = 1 },
                new LayerSpec { Kind = LayerKinds.ConvTranspose, InChannels = 8, OutChannels = 3, Kernel = 4, Stride = 2, Padding = 1 }],
        };
        Assert.Equal(2.0 * 3 * 8 * 16 * 16 * 16 + 2.0 * 8 * 3 * 16 * 16 * 16, spec.FlopsPerImage());
        // A dilated 3x3 convolution with padding 2 keeps the size: 2*8*8*9*32*32, not counted on a 34x34 output.
        var dilated = new ModelSpec { ImageSize = 32, Layers = [new LayerSpec { Kind = LayerKinds.Conv, InChannels = 8, OutChannels = 8, Kernel = 3, Padding = 2, Dilation = 2 }] };
        Assert.Equal(2.0 * 8 * 8 * 9 * 32 * 32, dilated.FlopsPerImage());
        var stdout = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["bench", "--model", Fixture.TinyModel, "--device", "cpu", "--batches", "1,4", "--seconds", "0.2", "--repair", "300x200:hole:50"], stdout, new StringWriter()));
        Assert.Contains("batch   4:", stdout.ToString());
        Assert.Contains("repair 300x200", stdout.ToString());
    }

    private static int Windows(string benchOutput) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(benchOutput, @"regions, ([0-9,]+) windows").Groups[1].Value, System.Globalization.NumberStyles.AllowThousands,
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void BenchRepairsSaltAndRefusesBadSpecs()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["bench", "--model", Fixture.FreeformModel, "--device", "cpu", "--batches", "1", "--seconds", "0.1", "--repair", "80x60:salt:2"], stdout, stderr));
        // About 2 % of 4,800 pixels, each its own hole.
        var match = System.Text.RegularExpressions.Regex.Match(stdout.ToString(), @"repair 80x60 .*?: [0-9.]+ s, ([0-9,]+) hole pixels");
        Assert.True(match.Success, stdout.ToString());
        Assert.InRange(int.Parse(match.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture), 50, 150);
        // Smaller repair tiles (bench --tile/--context, as repair's) cut the same photo into more tiles.
        var small = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["bench", "--model", Fixture.FreeformModel, "--device", "cpu", "--batches", "1", "--seconds", "0.1", "--repair", "80x60:salt:2", "--tile", "32", "--context", "8"], small, new StringWriter()));
        Assert.True(Windows(small.ToString()) > Windows(stdout.ToString()), small.ToString() + stdout);
        stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, InpaintCli.Run(["eval", "--images", Fixture.TempDir(), "--repair-tile", "-1"], new StringWriter(), stderr));
        Assert.Contains("--repair-tile must be between 0 and 4096", stderr.ToString());
        foreach (string bad in new[] { "80x60:salt:101", "80x60:confetti:1", "0x60:salt:1", "80x60", "80x60:hole:80", "80x60:salt:100" })
        {
            stderr = new StringWriter();
            Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["bench", "--model", Fixture.FreeformModel, "--device", "cpu", "--batches", "1", "--seconds", "0.1", "--repair", bad], new StringWriter(), stderr));
            Assert.Contains("--repair", stderr.ToString());
        }
    }
}
