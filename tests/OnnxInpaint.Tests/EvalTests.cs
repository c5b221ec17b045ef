using System.Text.Json.Nodes;
using Inpaint.Cli;
using Inpaint.Cli.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class EvalTests
{
    [Theory]
    [InlineData(MaskKind.Center)]
    [InlineData(MaskKind.Square)]
    [InlineData(MaskKind.Freeform)]
    [InlineData(MaskKind.Scratch)]
    [InlineData(MaskKind.Text)]
    public void GeneratedMasksAreSeededAndPlausible(MaskKind kind)
    {
        bool[] a = MaskGenerator.Make(kind, 128, 3), b = MaskGenerator.Make(kind, 128, 3);
        Assert.Equal(a, b);
        double share = a.Count(h => h) / (double)a.Length;
        Assert.InRange(share, 0.005, 0.6);
        if (kind == MaskKind.Center)
        {
            Assert.Equal(0.25, share, 6);
            Assert.True(a[64 * 128 + 64]);
            Assert.False(a[31 * 128 + 31]);
        }
        if (kind is not MaskKind.Center) Assert.NotEqual(a, MaskGenerator.Make(kind, 128, 4));
    }

    [Fact]
    public void MetricsAreExactOnKnownCases()
    {
        var truth = new byte[3 * 16 * 16];
        var holes = new bool[16 * 16];
        for (int i = 0; i < 64; i++) holes[i] = true;
        var same = QualityMetrics.Measure(truth, (byte[])truth.Clone(), holes, 16, 16);
        Assert.Equal(100, same.HolePsnr, 6);
        Assert.Equal(1, same.Ssim, 6);
        var off = (byte[])truth.Clone();
        for (int i = 0; i < 3 * 64; i++) off[i] = 51; // 0.2 everywhere in the hole
        var q = QualityMetrics.Measure(truth, off, holes, 16, 16);
        Assert.Equal(0.2, q.L1, 6);
        Assert.Equal(0.04, q.L2, 6);
        Assert.Equal(10 * Math.Log10(1 / 0.04), q.HolePsnr, 6);
        Assert.Equal(10 * Math.Log10(1 / 0.01), q.Psnr, 6); // a quarter of the image is off by 0.2
    }

    [Fact]
    public void EvalPrintsTheTableAndWritesJson()
    {
        if (!OpenCvBaselines.TryLoad(out string missing))
        {
            // No OpenCV (GTK 3) here: eval must refuse with that one line (OpenCvBaselineTests checks it in full).
            var error = new StringWriter();
            Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["eval", "--images", "."], new StringWriter(), error));
            Assert.Contains(missing, error.ToString());
            return;
        }
        string dir = Fixture.TempDir();
        for (int i = 0; i < 2; i++) using (var photo = Fixture.Photo(90, 70, seed: i + 1)) photo.SaveAsPng(Path.Combine(dir, $"p{i}.png"));
        string json = Path.Combine(dir, "eval.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["eval", "--images", dir, "--mask", "text", "--tile", "32", "--model", Fixture.TinyModel, "--device", "cpu", "--json", json], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string text = stdout.ToString();
        Assert.Contains("8 images", text);
        Assert.Contains("opencv telea", text);
        Assert.Contains("opencv navier-stokes", text);
        var results = JsonNode.Parse(File.ReadAllText(json))!["results"]!.AsObject();
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.InRange(r.Value!["hole_psnr"]!.GetValue<double>(), 3, 100));

        string masks = Path.Combine(dir, "masks");
        Directory.CreateDirectory(masks);
        for (int i = 0; i < 2; i++)
            using (var m = new Image<Rgba32>(90, 70, new Rgba32(0, 0, 0, 255)))
            {
                for (int y = 20; y < 40; y++) for (int x = 30; x < 50; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
                m.SaveAsPng(Path.Combine(masks, $"p{i}.png"));
            }
        stdout = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["eval", "--images", dir, "--mask", masks, "--model", Fixture.TinyModel, "--device", "cpu"], stdout, stderr));
        Assert.Contains("2 images", stdout.ToString());
        Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["eval", "--images", dir, "--mask", "zigzag", "--model", Fixture.TinyModel], stdout, stderr));
    }

    [Fact]
    public void BenchCountsTheGeneratorsFlops()
    {
        // tiny: conv 3->8 k4 s2 on 32 -> 16: 2*3*8*16*16*16 = 196,608 multiply-adds x2 for the first layer alone.
        string spec = """{"image_size":32,"layers":[{"kind":"conv","in":3,"out":8,"kernel":4,"stride":2,"padding":1},{"kind":"conv_transpose","in":8,"out":3,"kernel":4,"stride":2,"padding":1}]}""";
        Assert.Equal(2.0 * 3 * 8 * 16 * 16 * 16 + 2.0 * 8 * 3 * 16 * 16 * 16, BenchCommand.FlopsPerImage(spec));
        var stdout = new StringWriter();
        Assert.Equal(0, InpaintCli.Run(["bench", "--model", Fixture.TinyModel, "--device", "cpu", "--batches", "1,4", "--seconds", "0.2", "--repair", "300x200:hole:50"], stdout, new StringWriter()));
        Assert.Contains("batch   4:", stdout.ToString());
        Assert.Contains("repair 300x200", stdout.ToString());
    }
}
