using Inpaint.Contract;
using Inpaint.Exporter.Verification;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Inpaint.Exporter.Tests;

public class DetectorExportTests
{
    [Fact]
    public void ADetectorExportsWithParityAtOddSizesAndStatesItsTaskAndThreshold()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("detector.onnx");
        var report = OnnxExporter.Export(new ExportRequest { Checkpoint = store.CreateDetector(), Output = output, ReportOptimisation = false });
        Assert.Equal(DetectorVerification.Sizes.Count, report.Verification.Count);
        Assert.All(report.Verification, r => Assert.True(r.MaxGeneratedDifference <= 1e-4, $"{r.Name}: {r.MaxGeneratedDifference}"));
        Assert.Contains(report.Verification, r => r.Name.Contains("131x97"));

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        var meta = model.MetadataProps.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(ContractNames.DetectTask, meta[MetadataKeys.Task]);
        Assert.Equal("0.4", meta[MetadataKeys.Threshold]); // the training's validated threshold
        Assert.False(meta.ContainsKey(MetadataKeys.Hole));
        using var session = new InferenceSession(File.ReadAllBytes(output));
        Assert.Equal([ContractNames.ImageInput], session.InputMetadata.Keys);
        Assert.Equal([ContractNames.DamageOutput], session.OutputMetadata.Keys);
        var contract = DetectorContract.Parse(new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap), session.InputMetadata.Keys, session.OutputMetadata.Keys);
        Assert.Equal(0.4, contract.Threshold);
        Assert.Equal(4, contract.Stride);

        // Probabilities in 0..1 at an odd size, not constant.
        var image = new float[3 * 37 * 53];
        var rng = new Random(3);
        for (int i = 0; i < image.Length; i++) image[i] = rng.Next(256);
        float[] damage = DetectorVerification.Run(session, image, 1, 37, 53);
        Assert.Equal(37 * 53, damage.Length);
        Assert.All(damage, v => Assert.InRange(v, 0f, 1f));
        Assert.True(damage.Max() - damage.Min() > 1e-3);
    }

    [Fact]
    public void AnInpainterRefusesToBeReadAsADetectorAndTheOtherWayRound()
    {
        using var store = new TestCheckpoints();
        string detector = store.Path2("d.onnx"), inpainter = store.Path2("i.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = store.CreateDetector(), Output = detector, ReportOptimisation = false });
        OnnxExporter.Export(new ExportRequest { Checkpoint = store.CreateFreeform(), Output = inpainter, ReportOptimisation = false });
        static Dictionary<string, string> Meta(string path)
        {
            using var s = new InferenceSession(File.ReadAllBytes(path));
            return new Dictionary<string, string>(s.ModelMetadata.CustomMetadataMap);
        }
        var asInpainter = Assert.Throws<InvalidDataException>(() => ModelContract.Parse(Meta(detector), [ContractNames.ImageInput], [ContractNames.DamageOutput]));
        Assert.Contains("damage detector", asInpainter.Message);
        var asDetector = Assert.Throws<InvalidDataException>(() => DetectorContract.Parse(Meta(inpainter), [ContractNames.ImageInput, ContractNames.MaskInput], [ContractNames.Output]));
        Assert.Contains("inpainter, not a damage detector", asDetector.Message);
    }
}
