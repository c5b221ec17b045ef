using Inpaint.Cli;
using Inpaint.Cli.Evaluation;
using Inpaint.Imaging;
using OpenCvSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Inpaint.Contract;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// The real end-to-end path: the shipped models repair the shipped samples (held-out photos), and the default model
/// keeps the margin its card claims over its own pre-fill and over OpenCV on them.
/// </summary>
public class ShippedModelTests
{
    private static readonly string[] Samples = ["center", "scratches", "text", "object"];

    /// <summary>
    /// OpenCV Telea (radius 3) hole-PSNR on the four samples, measured once with OpenCV 4.13 (OpenCvSharp4
    /// 4.13.0.20260627) and recorded here, so machines without GTK 3 compare against the same numbers.
    /// </summary>
    private static readonly Dictionary<string, double> TeleaRecorded = new()
    {
        ["center"] = 15.32, ["scratches"] = 22.03, ["text"] = 29.77, ["object"] = 16.67,
    };

    private static string Root => ModelTests.RepoRoot();

    private static InpaintModel Load(string name) =>
        InpaintModel.Load(Path.Combine(Root, "models", name), new InpaintModelOptions { Provider = ExecutionProvider.Cpu });

    private static (Image<Rgba32> Damaged, Image<Rgba32> Original, HoleMap Holes) Sample(string name)
    {
        var files = new PhotoFile();
        var damaged = files.Read(Path.Combine(Root, "samples", $"{name}.png"));
        var original = files.Read(Path.Combine(Root, "samples", $"{name}-original.png"));
        using var mask = files.Read(Path.Combine(Root, "samples", $"{name}-mask.png"));
        return (damaged, original, MaskRule.Read(mask, damaged.Width, damaged.Height));
    }

    /// <summary>Hole-PSNR (dB) of a repair against the original, as `inpaint eval` measures it.</summary>
    private static double HolePsnr(Image<Rgba32> repaired, Image<Rgba32> original, HoleMap holes) =>
        QualityMetrics.Measure(QualityMetrics.Rgb(original), QualityMetrics.Rgb(repaired), holes.Holes, original.Width, original.Height).HolePsnr;

    [Fact]
    public void TheDefaultModelIsTheFreeformModel()
    {
        Assert.Equal("inpaint-freeform.onnx", ModelLocator.DefaultModelName);
        using var model = Load(ModelLocator.DefaultModelName);
        Assert.Equal("freeform", model.Contract.Architecture);
        Assert.False(model.Contract.Family == ModelFamily.Center);
        Assert.True(new FileInfo(Path.Combine(Root, "models", ModelLocator.DefaultModelName)).Length <= 25_000_000);
    }

    [Fact]
    public void TheDefaultModelRepairsEverySampleBetterThanItsPrefillAndOpenCv()
    {
        using var freeform = Load("inpaint-freeform.onnx");
        using var prefill = Load("inpaint-prefill.onnx");
        bool openCv = OpenCvBaselines.TryLoad(out _);
        var model = new List<double>();
        var classical = new List<double>();
        var telea = new List<double>();
        foreach (string name in Samples)
        {
            var (damaged, original, holes) = Sample(name);
            using (damaged)
            using (original)
            {
                // The model's own fill: PSNR is its measure (the texture route trades some PSNR for detail).
                using var repaired = new PhotoRepairer(freeform, new RepairOptions { Fill = FillMode.Smooth }).Repair(damaged, holes, out _);
                Fixture.AssertKnownPixelsIdentical(damaged, repaired, holes);
                using var filled = new PhotoRepairer(prefill).Repair(damaged, holes, out _);
                model.Add(HolePsnr(repaired, original, holes));
                classical.Add(HolePsnr(filled, original, holes));
                telea.Add(openCv ? TeleaOf(damaged, original, holes) : TeleaRecorded[name]);
            }
        }
        string report = string.Join("; ", Samples.Select((s, i) => $"{s}: model {model[i]:F2}, pre-fill {classical[i]:F2}, telea {telea[i]:F2}"));
        // Measured on the shipped model: 22.31 dB mean against 21.70 for its pre-fill and 20.95 for Telea (the card's
        // margins on 128 held-out tiles are +0.65 and +1.0..1.5 dB); four samples are noisy, so with some room.
        Assert.True(model.Average() >= classical.Average() + 0.3, report);
        Assert.True(model.Average() >= telea.Average() + 0.8, report);
        // No ghost of the caption: the text sample's repair is close to the photo under it (33.45 dB measured).
        Assert.True(model[Samples.ToList().IndexOf("text")] >= 32.5, report);
    }

    [Fact]
    public void TheRecordedTeleaNumbersAreWhatOpenCvGivesWhereItLoads()
    {
        if (!OpenCvBaselines.TryLoad(out string reason))
        {
            // Without GTK 3 the recorded numbers stand; eval's refusal is tested in EvalTests.
            Assert.Contains(OpenCvBaselines.GtkPackage, reason);
            return;
        }
        foreach (string name in Samples)
        {
            var (damaged, original, holes) = Sample(name);
            using (damaged)
            using (original)
                Assert.Equal(TeleaRecorded[name], TeleaOf(damaged, original, holes), 2);
        }
    }

    [Fact]
    public void TheCentreModelOfTheArticleStillRepairsTheCentreSample()
    {
        using var model = Load("inpaint-compact.onnx");
        Assert.Equal("compact", model.Contract.Architecture);
        Assert.Equal(128, model.Contract.ImageSize);
        var (damaged, original, holes) = Sample("center");
        using (damaged)
        using (original)
        {
            using var repaired = new PhotoRepairer(model).Repair(damaged, holes, out var report);
            Fixture.AssertKnownPixelsIdentical(damaged, repaired, holes);
            Assert.Equal(1, report.Regions);
            // Far closer to the original than the white damage was.
            Assert.True(HolePsnr(repaired, original, holes) > HolePsnr(damaged, original, holes) + 6);
        }
    }

    private static double TeleaOf(Image<Rgba32> damaged, Image<Rgba32> original, HoleMap holes)
    {
        byte[] result = OpenCvBaselines.Inpaint(QualityMetrics.Rgb(damaged), holes.Holes, damaged.Width, damaged.Height, InpaintTypes.Telea, 3);
        return QualityMetrics.Measure(QualityMetrics.Rgb(original), result, holes.Holes, original.Width, original.Height).HolePsnr;
    }
}
