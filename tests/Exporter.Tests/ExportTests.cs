using Inpaint.Contract;
using Inpaint.Exporter.Onnx;
using Inpaint.Exporter.Verification;
using Inpaint.Hosting;
using Inpaint.Models.Checkpoints;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Inpaint.Exporter.Tests;

public class ExportTests
{
    [Theory]
    [InlineData(Architectures.Tiny)]
    [InlineData(Architectures.Compact)]
    [InlineData(Architectures.Seed)]
    public void EveryArchitectureExportsWithParity(string architecture)
    {
        using var store = new TestCheckpoints();
        string checkpoint = store.Create(architecture);
        var report = OnnxExporter.Export(new ExportRequest { Checkpoint = checkpoint, Output = store.Path2("model.onnx"), ReportOptimisation = false });
        Assert.True(report.Verification.Count >= 4);
        Assert.All(report.Verification, r =>
        {
            Assert.True(r.MaxGeneratedDifference <= 0.01, $"{r.Name}: {r.MaxGeneratedDifference}");
            Assert.True(r.KnownPixelsIdentical, r.Name);
        });
        long parameters = Architectures.Create(architecture).ParameterCount;
        Assert.InRange(report.Bytes, parameters * 4, parameters * 4 + 2_000_000);
    }

    [Fact]
    public void HalfPrecisionWeightsHalveTheFileWithinTolerance()
    {
        using var store = new TestCheckpoints();
        string checkpoint = store.Create(Architectures.Compact);
        var full = OnnxExporter.Export(new ExportRequest { Checkpoint = checkpoint, Output = store.Path2("fp32.onnx"), ReportOptimisation = false });
        var half = OnnxExporter.Export(new ExportRequest { Checkpoint = checkpoint, Output = store.Path2("fp16.onnx"), HalfPrecisionWeights = true, ReportOptimisation = false });
        Assert.InRange((double)half.Bytes / full.Bytes, 0.49, 0.53);
        Assert.All(half.Verification, r => Assert.True(r.KnownPixelsIdentical));
        Assert.True(half.Verification.Max(r => r.MaxGeneratedDifference) <= half.Tolerance);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(store.Path2("fp16.onnx")));
        Assert.Equal("fp16", model.MetadataProps.Single(m => m.Key == MetadataKeys.Weights).Value);
        Assert.Contains(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
    }

    [Fact]
    public void MetadataIsCompleteAndGraphIsSound()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("tiny.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = store.Create(Architectures.Tiny), Output = output, Verify = false, ReportOptimisation = false });
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        var meta = model.MetadataProps.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal("1", meta["inpaint.contract"]);
        Assert.Equal("tiny", meta["inpaint.arch"]);
        Assert.Equal("32", meta["inpaint.image_size"]);
        Assert.Equal("center:16", meta["inpaint.hole"]);
        Assert.Equal("32", meta["inpaint.stride"]);
        Assert.Equal("32747", meta["inpaint.parameters"]);
        Assert.Contains("\"steps\":7", meta["inpaint.training"]);
        Assert.Equal(Architectures.Create(Architectures.Tiny).ToJson(), meta["inpaint.spec"]);
        Assert.Equal(17, model.OpsetImport.Single().Version);
        Assert.Empty(GraphValidator.Check(model));
        Assert.All(model.Graph.Initializer, t => Assert.Empty(t.FloatData)); // raw data only
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.Equal("N", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void AnAbsoluteDataFolderIsPublishedByItsNameOnly()
    {
        string facts = """{"steps":7,"data":{"folder":"/srv/runs/data/train","train_images":3}}""";
        Assert.Equal("""{"steps":7,"data":{"folder":"train","train_images":3}}""", PublishedFacts.Of(facts));
        // Relative folders, facts without a folder and text that is not JSON stay as they are.
        foreach (string unchanged in new[] { """{"data":{"folder":"train"}}""", """{"steps":7}""", "not json" })
            Assert.Equal(unchanged, PublishedFacts.Of(unchanged));

        // End to end: a checkpoint that carries an absolute path exports without it, in the metadata and the card.
        using var store = new TestCheckpoints();
        string checkpoint = store.Create(Architectures.Tiny);
        using (var generator = GeneratorCheckpoint.Load(checkpoint).Generator)
            GeneratorCheckpoint.Save(checkpoint, generator, facts);
        string output = store.Path2("tiny-abs.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = checkpoint, Output = output, Verify = false, ReportOptimisation = false, ModelCard = true });
        var meta = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output)).MetadataProps.ToDictionary(m => m.Key, m => m.Value);
        Assert.Contains("\"folder\":\"train\"", meta["inpaint.training"]);
        Assert.DoesNotContain("/srv/", meta["inpaint.training"]);
        Assert.DoesNotContain("/srv/", File.ReadAllText(Path.ChangeExtension(output, ".md")));
    }

    [Fact]
    public void ValidatorFindsUndefinedInputs()
    {
        using var store = new TestCheckpoints();
        var weights = CheckpointWeights.Load(store.Create(Architectures.Tiny));
        var model = InpaintGraph.Build(weights, new InpaintGraph.Options());
        model.Graph.Node[3].Input[0] = "nowhere";
        Assert.Contains(GraphValidator.Check(model), p => p.Contains("'nowhere'"));
        model.MetadataProps.Clear();
        Assert.Contains(GraphValidator.Check(model), p => p.Contains("inpaint.contract"));
    }

    [Fact]
    public void KnownPixelsComeOutBitIdenticalAndHolesOutsideThePatchAreLeft()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("tiny.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = store.Create(Architectures.Tiny), Output = output, Verify = false, ReportOptimisation = false });
        using var session = new InferenceSession(output);
        const int s = 32;
        var rng = new Random(4);
        var image = Enumerable.Range(0, 2 * 3 * s * s).Select(_ => (float)(rng.NextDouble() * 255)).ToArray(); // non-integer values too
        var mask = new float[2 * s * s];
        mask[0] = 255; // a hole pixel outside the generated centre: the model cannot fill it, so it stays
        for (int y = 8; y < 24; y++) for (int x = 8; x < 24; x++) mask[s * s + y * s + x] = 200; // second image: the centre
        float[] result = OnnxVerifier.Run(session, new VerificationBatch("t", image, mask, 2), s);
        int changed = 0;
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < s * s; i++)
                {
                    int k = (n * 3 + c) * s * s + i;
                    bool hole = n == 1 && i / s is >= 8 and < 24 && i % s is >= 8 and < 24;
                    if (!hole) Assert.Equal(BitConverter.SingleToInt32Bits(image[k]), BitConverter.SingleToInt32Bits(result[k]));
                    else
                    {
                        Assert.InRange(result[k], 0f, 255f);
                        if (result[k] != image[k]) changed++;
                    }
                }
        Assert.True(changed > 700, $"{changed} hole values changed");
    }

    [Fact]
    public void BatchNormFoldingMatchesTheUnfoldedLayers()
    {
        using var store = new TestCheckpoints();
        var (generator, _) = GeneratorCheckpoint.Load(store.Create(Architectures.Tiny, seed: 5));
        using (generator)
        {
            // Verification runs the unfolded TorchSharp generator against the folded ONNX graph; the tolerance is tight.
            var weights = CheckpointWeights.Load(store.Create(Architectures.Tiny, seed: 5));
            byte[] model = Google.Protobuf.MessageExtensions.ToByteArray(InpaintGraph.Build(weights, new InpaintGraph.Options()));
            var results = OnnxVerifier.Verify(model, generator, VerificationInputs.Synthetic(32, 16, seed: 9));
            Assert.All(results, r => Assert.True(r.MaxGeneratedDifference < 1e-3, $"{r.Name}: {r.MaxGeneratedDifference}"));
        }
        // And the folding arithmetic on its own, for both layouts.
        float[] w = [1, 2, 3, 4, 5, 6, 7, 8];
        var conv = BatchNormFolding.Fold(w, [2, 1, 2, 2], [1, -1], transposed: false, gamma: [2, 3], beta: [0.5f, -0.5f], mean: [1, 2], variance: [3, 3], eps: 1);
        Assert.Equal([1, 2, 3, 4, 5 * 1.5f, 6 * 1.5f, 7 * 1.5f, 8 * 1.5f], conv.Weight);
        Assert.Equal([0.5f, -5f], conv.Bias);
        var transposed = BatchNormFolding.Fold(w, [1, 2, 2, 2], null, transposed: true, gamma: [2, 3], beta: [0, 0], mean: [0, 0], variance: [3, 3], eps: 1);
        Assert.Equal([1, 2, 3, 4, 7.5f, 9, 10.5f, 12], transposed.Weight);
    }

    [Fact]
    public void ImportedPyTorchCheckpointsExportTheSameWay()
    {
        using var store = new TestCheckpoints();
        var (generator, facts) = PyTorchImport.Import(Path.Combine(AppContext.BaseDirectory, "Fixtures", "article_tiny.pth"), imageSize: 32);
        string checkpoint = store.Path2("imported.safetensors");
        using (generator) GeneratorCheckpoint.Save(checkpoint, generator, facts);
        var report = OnnxExporter.Export(new ExportRequest { Checkpoint = checkpoint, Output = store.Path2("imported.onnx"), ReportOptimisation = false });
        Assert.Equal("imported", report.Architecture);
        Assert.All(report.Verification, r => Assert.True(r.MaxGeneratedDifference <= 0.01));
    }

    [Fact]
    public void OptimiserReportCountsNodes()
    {
        using var store = new TestCheckpoints();
        var report = OnnxExporter.Export(new ExportRequest { Checkpoint = store.Create(Architectures.Tiny), Output = store.Path2("t.onnx"), Verify = false });
        Assert.Equal(["basic", "extended", "all"], report.OptimisedNodes.Keys);
        Assert.All(report.OptimisedNodes.Values, n => Assert.InRange(n, 1, report.Nodes));
    }
}

public class SpeedComparisonTests
{
    [Fact]
    public void TimesBothEnginesOnTheSameWeights()
    {
        using var store = new TestCheckpoints();
        string checkpoint = store.Create(Inpaint.Models.Architectures.Tiny);
        string output = store.Path2("t.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = checkpoint, Output = output, Verify = false, ReportOptimisation = false });
        var (generator, _) = GeneratorCheckpoint.Load(checkpoint);
        using (generator)
        {
            var results = Verification.SpeedComparison.Measure(File.ReadAllBytes(output), generator, [1, 2], 0.05, threads: 1);
            Assert.Equal([1, 2], results.Select(r => r.Batch));
            Assert.All(results, r => Assert.True(r.TorchMsPerImage > 0 && r.OnnxMsPerImage > 0));
        }
    }
}
