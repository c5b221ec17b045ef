using Inpaint.Imaging;
using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Models.Checkpoints;

/// <summary>
/// The generator checkpoint contract (docs/trainer.md, "Outputs"): <c>model.safetensors</c> with the generator's parameters and
/// BatchNorm buffers, and in <c>__metadata__</c> the model spec (<c>inpaint.spec</c>) and the training facts
/// (<c>inpaint.training</c>), both JSON.
/// </summary>
public static class GeneratorCheckpoint
{
    /// <summary>The checkpoint's file name inside a checkpoint folder.</summary>
    public const string FileName = "model.safetensors";

    // The checkpoint's metadata uses the contract's keys, so the exporter copies them as they are.
    private const string SpecKey = MetadataKeys.Spec, TrainingKey = MetadataKeys.Training;

    /// <summary>Writes the generator's weights and spec to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, CenterGenerator generator, string trainingFactsJson) =>
        Write(stream, generator, generator.Spec, trainingFactsJson);

    /// <summary>Writes any generator's weights and its spec to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, nn.Module generator, ModelSpec spec, string trainingFactsJson)
    {
        var tensors = generator.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [SpecKey] = spec.ToJson(),
            [TrainingKey] = trainingFactsJson,
        };
        SafeTensors.Write(stream, tensors, metadata);
    }

    /// <summary>Saves atomically.</summary>
    public static void Save(string path, CenterGenerator generator, string trainingFactsJson) =>
        AtomicFile.Write(path, s => Write(s, generator, trainingFactsJson));

    /// <summary>Saves any generator atomically.</summary>
    public static void Save(string path, nn.Module generator, ModelSpec spec, string trainingFactsJson) =>
        AtomicFile.Write(path, s => Write(s, generator, spec, trainingFactsJson));

    /// <summary>Reads the spec and training facts without loading any weights.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint of ours.</exception>
    public static (ModelSpec Spec, string TrainingFacts) ReadSpec(string path)
    {
        var metadata = SafeTensors.ReadMetadata(path);
        return (ParseSpec(metadata, path), metadata.GetValueOrDefault(TrainingKey, "{}"));
    }

    /// <summary>Builds the context-encoder generator the checkpoint describes and loads its weights.</summary>
    /// <exception cref="InvalidDataException">Missing spec, weights that do not match it, or a freeform checkpoint.</exception>
    public static (CenterGenerator Generator, string TrainingFacts) Load(string path)
    {
        var (generator, facts) = LoadAny(path);
        if (generator is CenterGenerator encoder) return (encoder, facts);
        generator.Dispose();
        throw new InvalidDataException($"{path} holds a freeform model, not a center one");
    }

    /// <summary>Builds whichever generator the checkpoint describes (see <see cref="Generators.Create"/>) and loads its weights.</summary>
    /// <exception cref="InvalidDataException">Missing spec, or weights that do not match it.</exception>
    public static (nn.Module Generator, string TrainingFacts) LoadAny(string path)
    {
        var (tensors, metadata) = SafeTensors.Read(path);
        try
        {
            ModelSpec spec = ParseSpec(metadata, path);
            nn.Module generator = Generators.Create(spec);
            try
            {
                LoadWeights(generator, tensors, path);
            }
            catch
            {
                generator.Dispose();
                throw;
            }
            return (generator, metadata.GetValueOrDefault(TrainingKey, "{}"));
        }
        finally
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Copies <paramref name="tensors"/> into the generator, checking every name and shape.</summary>
    /// <exception cref="InvalidDataException">A name is missing or unexpected, or a shape differs.</exception>
    public static void LoadWeights(nn.Module generator, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var expected = generator.state_dict();
        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{source} lacks {missing.Count} weight(s) the spec needs, e.g. '{missing[0]}'");
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"{source} has {unexpected.Count} weight(s) the spec does not know, e.g. '{unexpected[0]}'");
        using var noGrad = no_grad();
        foreach (var (name, target) in expected)
        {
            Tensor value = tensors[name];
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException(
                    $"{source}: weight '{name}' has shape [{string.Join(",", value.shape)}] but the spec needs [{string.Join(",", target.shape)}]");
            target.copy_(value.to(target.dtype));
        }
    }

    private static ModelSpec ParseSpec(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(SpecKey, out string? json))
            throw new InvalidDataException($"{path} has no '{SpecKey}' metadata: it is not an Inpaint generator checkpoint");
        return ModelSpec.FromJson(json);
    }
}
