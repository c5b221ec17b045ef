// The README's ML.NET example, compiled with the solution so it cannot rot.
// Usage: dotnet run --project samples/MlNetExample -- MODEL.onnx PHOTO MASK OUTPUT.png
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: MlNetExample MODEL.onnx PHOTO MASK OUTPUT.png");
    return 2;
}
string modelFile = args[0];
foreach (string input in args[..3])
{
    if (!File.Exists(input))
    {
        Console.Error.WriteLine($"error: '{input}' does not exist");
        return 1;
    }
}

var mlContext = new MLContext();
var rows = new[] { new Damaged { Image = MLImage.CreateFromFile(args[1]), Mask = MLImage.CreateFromFile(args[2]) } };
IDataView data = mlContext.Data.LoadFromEnumerable(rows);

// Resize, extract pixels, apply the mask rule (white, or transparent when the mask has alpha), run the ONNX model
// and convert back. A freeform model also runs at other sizes: InpaintImages(new InpaintImagesOptions { Width = ..., Height = ... }).
var pipeline = mlContext.Transforms.InpaintImages("Inpainted", modelFile, imageColumnName: "Image", maskColumnName: "Mask");
ITransformer model = pipeline.Fit(data);

// A fitted pipeline saves and loads like any other; the loading context registers the mask-rule mapping first.
string saved = Path.Combine(Path.GetTempPath(), "inpaint-pipeline.zip");
mlContext.Model.Save(model, inputSchema: null, saved);
var loadingContext = new MLContext();
loadingContext.ComponentCatalog.RegisterAssembly(typeof(Inpaint.OnnxInpaint.MLNet.MaskRuleMapping).Assembly);
ITransformer loaded = loadingContext.Model.Load(saved, out _);

var engine = mlContext.Model.CreatePredictionEngine<Damaged, Repaired>(loaded);
Repaired result = engine.Predict(rows[0]);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[3]))!);
result.Inpainted.Save(args[3]); // the format follows the extension (PNG or JPEG)
Console.WriteLine($"wrote {args[3]} ({result.Inpainted.Width}x{result.Inpainted.Height}, the model's input size)");
return 0;

/// <summary>Input rows: a photo and its mask (white = repair).</summary>
public sealed class Damaged
{
    [ImageType(128, 128)] public MLImage Image { get; set; } = null!;

    [ImageType(128, 128)] public MLImage Mask { get; set; } = null!;
}

/// <summary>Output rows.</summary>
public sealed class Repaired
{
    [ImageType(128, 128)] public MLImage Inpainted { get; set; } = null!;
}
