using Inpaint.Contract;
using System.Globalization;
using System.Text;
using Inpaint.Exporter.Onnx;
using Inpaint.Models.Checkpoints;
using Inpaint.Models;

namespace Inpaint.Exporter;

/// <summary>
/// Writes an NVIDIA Triton Inference Server model repository for the model: DIR/NAME/1/model.onnx and
/// DIR/NAME/config.pbtxt (ONNX Runtime backend, the contract's inputs and output, dynamic batching).
/// </summary>
public static class TritonRepository
{
    /// <summary>The largest batch Triton forms (the model's batch axis is dynamic).</summary>
    public const int MaxBatchSize = 16;

    /// <summary>Writes the repository entry and returns the config's path.</summary>
    public static string Write(string repository, string name, byte[] model, ModelSpec spec)
    {
        string modelDir = Path.Combine(repository, name);
        Directory.CreateDirectory(Path.Combine(modelDir, "1"));
        AtomicFile.Write(Path.Combine(modelDir, "1", "model.onnx"), s => s.Write(model));
        string config = Path.Combine(modelDir, "config.pbtxt");
        AtomicFile.WriteAllText(config, Config(name, spec));
        return config;
    }

    /// <summary>The config.pbtxt text. With max_batch_size &gt; 0, dims leave out the batch axis.</summary>
    public static string Config(string name, ModelSpec spec)
    {
        // A freeform model takes any height and width: Triton writes a variable dimension as -1.
        string s = spec.Family == ModelFamily.Freeform ? "-1" : spec.ImageSize.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"name: \"{name}\"");
        sb.AppendLine("platform: \"onnxruntime_onnx\"");
        sb.AppendLine(CultureInfo.InvariantCulture, $"max_batch_size: {MaxBatchSize}");
        sb.AppendLine("input [");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {{ name: \"{ContractNames.ImageInput}\", data_type: TYPE_FP32, dims: [ 3, {s}, {s} ] }},");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {{ name: \"{ContractNames.MaskInput}\", data_type: TYPE_FP32, dims: [ 1, {s}, {s} ] }}");
        sb.AppendLine("]");
        sb.AppendLine("output [");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {{ name: \"{ContractNames.Output}\", data_type: TYPE_FP32, dims: [ 3, {s}, {s} ] }}");
        sb.AppendLine("]");
        sb.AppendLine("dynamic_batching {");
        sb.AppendLine("  preferred_batch_size: [ 4, 8, 16 ]");
        sb.AppendLine("  max_queue_delay_microseconds: 2000");
        sb.AppendLine("}");
        sb.AppendLine("instance_group [ { kind: KIND_AUTO, count: 1 } ]");
        return sb.ToString();
    }
}
