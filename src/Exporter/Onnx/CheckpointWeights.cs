using Inpaint.Models.Checkpoints;
using Inpaint.Contract;
using Inpaint.Models;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Onnx;

/// <summary>A checkpoint's spec, facts and weights as plain float arrays, checked against the spec.</summary>
public sealed class CheckpointWeights
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> tensors;

    private CheckpointWeights(ModelSpec spec, string facts, Dictionary<string, (float[], long[])> tensors)
    {
        Spec = spec;
        TrainingFacts = facts;
        this.tensors = tensors;
    }

    /// <summary>The model spec.</summary>
    public ModelSpec Spec { get; }

    /// <summary>Training facts JSON.</summary>
    public string TrainingFacts { get; }

    /// <summary>Values and shape of a named weight.</summary>
    /// <exception cref="InvalidDataException">Missing.</exception>
    public (float[] Values, long[] Shape) this[string name] =>
        tensors.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"the checkpoint lacks weight '{name}'");

    /// <summary>Whether a weight exists.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>
    /// Loads a model.safetensors: the spec from its metadata, then every weight, checked by building the
    /// TorchSharp generator the spec describes and loading into it (names and shapes must match).
    /// </summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, unknown architecture, or mismatched weights.</exception>
    public static CheckpointWeights Load(string path)
    {
        var (generator, facts) = GeneratorCheckpoint.LoadAny(path);
        using (generator) return From(generator, SpecOf(generator), facts);
    }

    /// <summary>Copies the weights of a loaded context encoder (which stays the caller's).</summary>
    public static CheckpointWeights From(CenterGenerator generator, string facts) => From(generator, generator.Spec, facts);

    /// <summary>The spec of either generator.</summary>
    public static ModelSpec SpecOf(TorchSharp.torch.nn.Module generator) => generator switch
    {
        CenterGenerator e => e.Spec,
        FreeformGenerator f => f.Spec,
        DamageNet d => d.Spec,
        _ => throw new ArgumentException($"not an Inpaint generator: {generator.GetType().Name}", nameof(generator)),
    };

    /// <summary>Copies the weights of any loaded generator (which stays the caller's).</summary>
    public static CheckpointWeights From(TorchSharp.torch.nn.Module generator, ModelSpec spec, string facts)
    {
        var result = new Dictionary<string, (float[], long[])>();
        foreach (var (name, tensor) in generator.state_dict())
        {
            if (tensor.dtype == ScalarType.Int64) continue; // num_batches_tracked: not needed in eval mode
            using Tensor f = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
            result[name] = (f.data<float>().ToArray(), tensor.shape.ToArray());
        }
        return new CheckpointWeights(spec, facts, result);
    }
}
