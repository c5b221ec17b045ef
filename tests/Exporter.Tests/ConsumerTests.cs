using Inpaint.Contract;
using Inpaint.Exporter.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;

namespace Inpaint.Exporter.Tests;

/// <summary>The exported file works in consumers with no custom code: ML.NET's ApplyOnnxModel and Triton.</summary>
public class ConsumerTests
{
    private const int Size = 32;

    private sealed class Input
    {
        [ColumnName(ContractNames.ImageInput), VectorType(1, 3, Size, Size)]
        public float[] Image { get; set; } = [];

        [ColumnName(ContractNames.MaskInput), VectorType(1, 1, Size, Size)]
        public float[] Mask { get; set; } = [];
    }

    private sealed class Output
    {
        [ColumnName(ContractNames.Output)]
        public float[] Inpainted { get; set; } = [];
    }

    [Fact]
    public void RunsInMlNetApplyOnnxModel()
    {
        using var store = new TestCheckpoints();
        string model = store.Path2("tiny.onnx");
        OnnxExporter.Export(new ExportRequest { Checkpoint = store.Create(Architectures()), Output = model, Verify = false, ReportOptimisation = false });

        var ml = new MLContext(seed: 1);
        var rng = new Random(3);
        var rows = Enumerable.Range(0, 3).Select(_ => new Input
        {
            Image = Enumerable.Range(0, 3 * Size * Size).Select(_ => (float)rng.Next(256)).ToArray(),
            Mask = Enumerable.Range(0, Size * Size).Select(i => i / Size is >= 8 and < 24 && i % Size is >= 8 and < 24 ? 255f : 0f).ToArray(),
        }).ToList();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.ApplyOnnxModel(
            outputColumnNames: [ContractNames.Output], inputColumnNames: [ContractNames.ImageInput, ContractNames.MaskInput], modelFile: model,
            shapeDictionary: new Dictionary<string, int[]>
            {
                [ContractNames.ImageInput] = [1, 3, Size, Size], [ContractNames.MaskInput] = [1, 1, Size, Size], [ContractNames.Output] = [1, 3, Size, Size],
            }, gpuDeviceId: null, fallbackToCpu: false);
        var outputs = ml.Data.CreateEnumerable<Output>(pipeline.Fit(data).Transform(data), reuseRowObject: false).ToList();
        Assert.Equal(3, outputs.Count);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(3 * Size * Size, outputs[r].Inpainted.Length);
            for (int i = 0; i < Size * Size; i++)
                if (rows[r].Mask[i] == 0)
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(rows[r].Image[c * Size * Size + i], outputs[r].Inpainted[c * Size * Size + i]);
        }
    }

    [Fact]
    public void TritonConfigNamesMatchTheModel()
    {
        using var store = new TestCheckpoints();
        string repo = store.Path2("triton");
        var report = OnnxExporter.Export(new ExportRequest
        {
            Checkpoint = store.Create(Architectures()), Output = store.Path2("inpaint-tiny.onnx"), Verify = false, ReportOptimisation = false, TritonRepository = repo,
        });
        string config = File.ReadAllText(report.TritonConfig!);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(repo, "inpaint-tiny", "1", "model.onnx")));
        Assert.Contains("name: \"inpaint-tiny\"", config);
        Assert.Contains("platform: \"onnxruntime_onnx\"", config);
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output))
        {
            var dims = value.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue); // Triton leaves out the batch axis
            Assert.Contains($"name: \"{value.Name}\", data_type: TYPE_FP32, dims: [ {string.Join(", ", dims)} ]", config);
        }
        Assert.Equal(File.ReadAllBytes(store.Path2("inpaint-tiny.onnx")), File.ReadAllBytes(Path.Combine(repo, "inpaint-tiny", "1", "model.onnx")));
    }

    private static string Architectures() => Inpaint.Models.Architectures.Tiny;
}
