using Inpaint.Contract;
using Inpaint.Exporter.Verification;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Inpaint.Exporter.Tests;

public class FreeformExportTests
{
    [Fact]
    public void AFreeformModelExportsWithParityAtOddSizesAndBatches()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("freeform.onnx");
        var report = OnnxExporter.Export(new ExportRequest { Checkpoint = store.CreateFreeform(), Output = output, ReportOptimisation = false, ModelCard = true });
        // Each batch twice: the graph's own pre-fill, and the managed one fed through the optional input.
        Assert.Equal(2 * (FreeformVerification.Sizes.Count + 2), report.Verification.Count);
        Assert.Equal(FreeformVerification.Sizes.Count + 2, report.Verification.Count(r => r.Name.EndsWith("pre-filled path")));
        Assert.All(report.Verification, r =>
        {
            Assert.True(r.MaxGeneratedDifference <= 0.01, $"{r.Name}: {r.MaxGeneratedDifference}");
            Assert.True(r.KnownPixelsIdentical, r.Name);
        });
        Assert.Contains(report.Verification, r => r.Name.Contains("131x97"));
        Assert.Contains(report.Verification, r => r.Name.Contains("all hole"));
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        var meta = model.MetadataProps.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal("any", meta[MetadataKeys.Hole]);
        Assert.Equal("4", meta[MetadataKeys.Stride]);
        Assert.StartsWith("multigrid_harmonic:levels=6", meta[MetadataKeys.Prefill]);
        var image = model.Graph.Input.Single(i => i.Name == ContractNames.ImageInput).Type.TensorType.Shape.Dim;
        Assert.Equal(new[] { "N", "", "H", "W" }, image.Select(d => d.DimParam));
        Assert.Contains("Freeform", File.ReadAllText(report.ModelCard!));
        Assert.Equal("1", meta[MetadataKeys.Prefilled]);
        // The residual is not zero: this model differs from its pre-fill.
        using var session = new InferenceSession(File.ReadAllBytes(output));
        // The optional input has a default: a consumer of the contract sees only its two inputs.
        Assert.Equal([ContractNames.ImageInput, ContractNames.MaskInput], session.InputMetadata.Keys.Order());
        var batch = FreeformVerification.Synthetic().First();
        float[] withResidual = FreeformVerification.Run(session, batch);
        using var prefill = new InferenceSession(File.ReadAllBytes(ExportArchitecture(store, Architectures.Prefill)));
        Assert.NotEqual(withResidual, FreeformVerification.Run(prefill, batch));
    }

    [Fact]
    public void VerificationRunsOnRealPhotosWhenGivenAFolder()
    {
        using var store = new TestCheckpoints();
        string photos = store.Path2("photos");
        Directory.CreateDirectory(Path.Combine(photos, "pkg"));
        for (int i = 0; i < 3; i++)
        {
            using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(160, 120);
            var rng = new Random(i);
            for (int y = 0; y < 120; y++)
                for (int x = 0; x < 160; x++)
                    image[x, y] = new SixLabors.ImageSharp.PixelFormats.Rgb24((byte)(x + i * 40), (byte)(y * 2), (byte)rng.Next(256));
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, Path.Combine(photos, "pkg", $"p{i}.png"));
        }
        var report = OnnxExporter.Export(new ExportRequest { Checkpoint = store.CreateFreeform(), Output = store.Path2("m.onnx"), VerifyImages = photos, ReportOptimisation = false });
        var onPhotos = Assert.Single(report.Verification, r => r.Name.StartsWith("photos x3 from") && !r.Name.EndsWith("pre-filled path"));
        Assert.True(onPhotos.MaxGeneratedDifference <= 0.01 && onPhotos.KnownPixelsIdentical);

        // Without the option, the checkpoint's data folder ('none') is looked for here and under data/; when it is in
        // neither, the log says the check on real photos was skipped and how to run it (not "no readable photos").
        var log = new List<string>();
        OnnxExporter.Export(new ExportRequest { Checkpoint = store.CreateFreeform(), Output = store.Path2("n.onnx"), ReportOptimisation = false }, log.Add);
        Assert.Contains("verify: the training photos ('none', as the checkpoint names them) are not in 'none' or 'data/none' here: " +
                        "the check on real photos is skipped (--verify-images DIR runs it)", log);
    }

    [Fact]
    public void AnUntrainedFreeformModelExportsToExactlyThePrefill()
    {
        using var store = new TestCheckpoints();
        using var untrained = new InferenceSession(File.ReadAllBytes(ExportArchitecture(store, Architectures.FreeformTiny)));
        using var prefill = new InferenceSession(File.ReadAllBytes(ExportArchitecture(store, Architectures.Prefill)));
        foreach (FreeformBatchInput batch in FreeformVerification.Synthetic(seed: 5))
            Assert.Equal(FreeformVerification.Run(prefill, batch), FreeformVerification.Run(untrained, batch));
    }

    [Fact]
    public void HalfPrecisionAndTritonWorkForTheFreeformFamily()
    {
        using var store = new TestCheckpoints();
        var report = OnnxExporter.Export(new ExportRequest
        {
            Checkpoint = store.CreateFreeform(), Output = store.Path2("half.onnx"), HalfPrecisionWeights = true, ReportOptimisation = false,
            TritonRepository = store.Path2("triton"),
        });
        Assert.True(report.Verification.Max(r => r.MaxGeneratedDifference) <= report.Tolerance);
        Assert.All(report.Verification, r => Assert.True(r.KnownPixelsIdentical));
        Assert.Contains("dims: [ 3, -1, -1 ]", File.ReadAllText(report.TritonConfig!));
    }

    [Fact]
    public void AContextEncoderCannotBeExportedUntrained()
    {
        using var store = new TestCheckpoints();
        var e = Assert.Throws<UserError>(() =>
            OnnxExporter.Export(new ExportRequest { Checkpoint = Architectures.Tiny, FromArchitecture = true, Output = store.Path2("x.onnx") }));
        Assert.Contains("center family", e.Message);
    }

    private static string ExportArchitecture(TestCheckpoints store, string architecture)
    {
        string output = store.Path2($"{architecture}-{Guid.NewGuid():N}.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = architecture, FromArchitecture = true, Output = output, ReportOptimisation = false, Verify = false });
        return output;
    }
}
