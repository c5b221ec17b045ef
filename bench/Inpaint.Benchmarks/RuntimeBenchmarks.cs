using BenchmarkDotNet.Attributes;
using Inpaint.OnnxInpaint;
using Inpaint.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Benchmarks;

/// <summary>
/// The runtime's costs, as ratios within one run: the raw session at batch 1 and 8 (per call), the ML.NET
/// pipeline (resize, pixel extraction, the same session, conversion back) on one image, and a full repair of a
/// 640x400 sample with scratches. The model is INPAINT_MODEL or models/inpaint-freeform.onnx (the default).
/// </summary>
[MemoryDiagnoser]
public class RuntimeBenchmarks
{
    private InpaintModel model = null!;
    private float[] image1 = [], mask1 = [], output1 = [], image8 = [], mask8 = [], output8 = [];
    private PredictionEngine<Row, Result> engine = null!;
    private Row row = null!;
    private Image<Rgba32> photo = null!;
    private HoleMap holes = null!;

    public sealed class Row
    {
        [ImageType(128, 128)] public MLImage Image { get; set; } = null!;

        [ImageType(128, 128)] public MLImage Mask { get; set; } = null!;
    }

    public sealed class Result
    {
        [ImageType(128, 128)] public MLImage Inpainted { get; set; } = null!;
    }

    [GlobalSetup]
    public void Setup()
    {
        string root = FindRoot();
        string path = Environment.GetEnvironmentVariable("INPAINT_MODEL") ?? Path.Combine(root, "models", "inpaint-freeform.onnx");
        model = InpaintModel.Load(path, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        int s = model.Contract.ImageSize;
        var rng = new Random(1);
        image1 = Enumerable.Range(0, 3 * s * s).Select(_ => (float)rng.Next(256)).ToArray();
        mask1 = Enumerable.Repeat(255f, s * s).ToArray();
        output1 = new float[3 * s * s];
        image8 = Enumerable.Range(0, 8).SelectMany(_ => image1).ToArray();
        mask8 = Enumerable.Range(0, 8).SelectMany(_ => mask1).ToArray();
        output8 = new float[8 * 3 * s * s];

        var ml = new MLContext();
        row = new Row
        {
            Image = MLImage.CreateFromFile(Path.Combine(root, "samples", "center.png")),
            Mask = MLImage.CreateFromFile(Path.Combine(root, "samples", "center-mask.png")),
        };
        var data = ml.Data.LoadFromEnumerable(new[] { row });
        engine = ml.Model.CreatePredictionEngine<Row, Result>(ml.Transforms.InpaintImages("Inpainted", path, "Image", "Mask").Fit(data));

        var files = new PhotoFile();
        photo = files.Read(Path.Combine(root, "samples", "scratches.png"));
        using var mask = files.Read(Path.Combine(root, "samples", "scratches-mask.png"));
        holes = MaskRule.Read(mask, photo.Width, photo.Height);
    }

    [Benchmark(Baseline = true, Description = "session, batch 1")]
    public void SessionBatch1() => model.Run(image1, mask1, output1, 1);

    [Benchmark(Description = "session, batch 8 (per call)")]
    public void SessionBatch8() => model.Run(image8, mask8, output8, 8);

    [Benchmark(Description = "ML.NET pipeline, 1 image")]
    public Result MlNet() => engine.Predict(row);

    [Benchmark(Description = "repair 640x400 with 6 scratches")]
    public void Repair()
    {
        using var repaired = new PhotoRepairer(model).Repair(photo, holes, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        engine.Dispose();
        model.Dispose();
        photo.Dispose();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Inpaint.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
