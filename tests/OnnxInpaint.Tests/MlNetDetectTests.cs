using Microsoft.ML;
using Microsoft.ML.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>DetectDamage in an ML.NET pipeline: its mask column is what the library's detector finds, and InpaintImages takes it.</summary>
public class MlNetDetectTests
{
    private const int Side = 48;

    private sealed class Row
    {
        [Microsoft.ML.Transforms.Image.ImageType(Side, Side)] public MLImage Image { get; set; } = null!;
    }

    private sealed class Result
    {
        [Microsoft.ML.Transforms.Image.ImageType(Side, Side)] public MLImage Mask { get; set; } = null!;

        [Microsoft.ML.Transforms.Image.ImageType(Side, Side)] public MLImage Repaired { get; set; } = null!;
    }

    [Fact]
    public void DetectDamageFindsWhatTheDetectorFindsAndComposesWithInpaintImages()
    {
        using Image<Rgba32> photo = Fixture.Photo(Side, Side, seed: 3);
        using var stream = new MemoryStream();
        photo.SaveAsPng(stream);
        stream.Position = 0;
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable([new Row { Image = MLImage.CreateFromStream(stream) }]);
        const double Threshold = 0.05; // low: the tiny detector then flags some pixels of this photo
        var pipeline = ml.Transforms.DetectDamage("Mask", Fixture.Detector, Side, Side, threshold: Threshold)
            .Append(ml.Transforms.InpaintImages(new MLNet.InpaintImagesOptions
            {
                OutputColumnName = "Repaired", ImageColumnName = "Image", MaskColumnName = "Mask", ModelFile = Fixture.FreeformModel, Width = Side, Height = Side,
            }));
        Result result = ml.Data.CreateEnumerable<Result>(pipeline.Fit(data).Transform(data), reuseRowObject: false).Single();

        using var detector = DamageDetector.Load(Fixture.Detector, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        bool[] expected = detector.Detect(photo, Threshold).Holes;
        byte[] mask = result.Mask.Pixels.ToArray(); // BGRA
        int agree = 0;
        for (int p = 0; p < Side * Side; p++) if ((mask[4 * p] > 127) == expected[p]) agree++;
        Assert.True(agree == Side * Side, $"{Side * Side - agree} pixels differ from the library's detection");
        Assert.Contains(true, expected); // so the repair has holes to fill
        Assert.Equal(Side, result.Repaired.Width);
    }
}
