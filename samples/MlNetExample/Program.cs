// The README's ML.NET example, compiled with the solution so it cannot rot.
// Usage: dotnet run --project samples/MlNetExample -- MODEL.onnx PHOTO MASK OUTPUT.png
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Inpaint.Contract;
using Inpaint.OnnxInpaint;
using Inpaint.OnnxInpaint.MLNet;

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
int width = rows[0].Image.Width, height = rows[0].Image.Height;

// A freeform model runs at the photo's own size; a centre model only at its own (128x128 for the shipped one).
bool freeform;
using (var probe = InpaintModel.Load(modelFile, new InpaintModelOptions { Provider = ExecutionProvider.Cpu }))
    freeform = probe.Contract.Family == ModelFamily.Freeform;
var options = new InpaintImagesOptions
{
    OutputColumnName = "Inpainted", ModelFile = modelFile, ImageColumnName = "Image", MaskColumnName = "Mask",
    Width = freeform ? width : 0, Height = freeform ? height : 0, // 0: the model's size
};

// Resize (to the size above), extract pixels, apply the mask rule (white, or transparent when the mask has alpha),
// run the ONNX model and convert back.
IDataView data = mlContext.Data.LoadFromEnumerable(rows);
var pipeline = mlContext.Transforms.InpaintImages(options);
ITransformer model = pipeline.Fit(data);

// A fitted pipeline saves and loads like any other; the loading context registers the mask-rule mapping first.
string saved = Path.Combine(Path.GetTempPath(), "inpaint-pipeline.zip");
mlContext.Model.Save(model, inputSchema: null, saved);
var loadingContext = new MLContext();
loadingContext.ComponentCatalog.RegisterAssembly(typeof(Inpaint.OnnxInpaint.MLNet.MaskRuleMapping).Assembly);
ITransformer loaded = loadingContext.Model.Load(saved, out _);

// The output's size is known only at run time, so the result is read from the transformed data (a typed prediction
// engine would need it in an attribute on the output class).
IDataView transformed = loaded.Transform(data);
DataViewSchema.Column column = transformed.Schema["Inpainted"];
MLImage inpainted = null!;
using (DataViewRowCursor cursor = transformed.GetRowCursor([column]))
{
    ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(column);
    cursor.MoveNext();
    getter(ref inpainted);
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[3]))!);
inpainted.Save(args[3]); // the format follows the extension (PNG or JPEG)
Console.WriteLine($"wrote {args[3]} ({inpainted.Width}x{inpainted.Height}, {(freeform ? "the photo's size" : "the model's input size")})");
return 0;

/// <summary>
/// Input rows: a photo and its mask (white = repair). ML.NET wants a size on an MLImage member; ResizeImages reads
/// each image's own, so the attribute's is a placeholder.
/// </summary>
public sealed class Damaged
{
    [ImageType(1, 1)] public MLImage Image { get; set; } = null!;

    [ImageType(1, 1)] public MLImage Mask { get; set; } = null!;
}
