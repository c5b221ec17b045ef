using Google.Protobuf;
using Inpaint.Models;
using Inpaint.Models.Checkpoints;
using Onnx;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// A freeform model read back from an exported ONNX file: its spec and training facts from the metadata and its weights
/// from the initialisers (a freeform U-Net has no BatchNorm to fold, so they are exactly the checkpoint's). It lets the
/// current exporter re-export a shipped model, for example to give it a graph feature added since, and verify the
/// result against TorchSharp as for any checkpoint.
/// </summary>
public static class OnnxWeights
{
    /// <summary>Builds the generator the model describes, with its weights, and its training facts.</summary>
    /// <exception cref="InvalidDataException">Not an Inpaint freeform model, or weights that do not match its spec.</exception>
    public static (FreeformGenerator Generator, string TrainingFacts) Load(string path)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {e.Message}", e);
        }
        var metadata = model.MetadataProps.ToDictionary(m => m.Key, m => m.Value);
        if (!metadata.TryGetValue(MetadataKeys.Spec, out string? json))
            throw new InvalidDataException($"'{path}' has no '{MetadataKeys.Spec}' metadata: it is not an Inpaint model this exporter can read");
        ModelSpec spec = ModelSpec.FromJson(json);
        if (spec.Family != ModelFamily.Freeform)
            throw new InvalidDataException($"'{path}' is a center model: its BatchNorm is folded into the weights, so only a checkpoint re-exports it");
        var generator = new FreeformGenerator(spec);
        try
        {
            var tensors = Tensors(model.Graph, spec);
            try
            {
                GeneratorCheckpoint.LoadWeights(generator, tensors, path);
            }
            finally
            {
                foreach (Tensor t in tensors.Values) t.Dispose();
            }
        }
        catch
        {
            generator.Dispose();
            throw;
        }
        return (generator, metadata.GetValueOrDefault(MetadataKeys.Training, "{}"));
    }

    /// <summary>The initialisers as the generator's state-dict tensors (<c>blocks.{i}.weight</c> is <c>blocks.{i}.conv.weight</c>).</summary>
    private static Dictionary<string, Tensor> Tensors(GraphProto graph, ModelSpec spec)
    {
        var byName = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (!spec.Layers[i].HasWeights) continue;
            tensors[$"blocks.{i}.conv.weight"] = Read(byName, $"blocks.{i}.weight");
            if (spec.Layers[i].Bias) tensors[$"blocks.{i}.conv.bias"] = Read(byName, $"blocks.{i}.bias");
        }
        return tensors;
    }

    private static Tensor Read(Dictionary<string, TensorProto> byName, string name)
    {
        if (byName.TryGetValue(name, out TensorProto? t) && t.DataType == (int)TensorProto.Types.DataType.Float)
            return tensor(FloatsOf(t.RawData), t.Dims.ToArray());
        if (byName.TryGetValue(name + "_fp16", out t) && t.DataType == (int)TensorProto.Types.DataType.Float16)
            return tensor(HalvesOf(t.RawData), t.Dims.ToArray());
        throw new InvalidDataException($"the model has no weight '{name}' of type float32 or float16");
    }

    private static float[] FloatsOf(ByteString raw)
    {
        var values = new float[raw.Length / 4];
        Buffer.BlockCopy(raw.ToByteArray(), 0, values, 0, raw.Length);
        return values;
    }

    private static float[] HalvesOf(ByteString raw)
    {
        byte[] bytes = raw.ToByteArray();
        var values = new float[bytes.Length / 2];
        for (int i = 0; i < values.Length; i++) values[i] = (float)BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(bytes, 2 * i));
        return values;
    }
}
