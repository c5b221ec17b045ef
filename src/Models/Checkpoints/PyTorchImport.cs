using System.Collections;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Inpaint.Models.Checkpoints;

/// <summary>
/// Converts a checkpoint written by the article's PyTorch code
/// (<c>torch.save({'state_dict': generator.state_dict(), 'optimizer': ...})</c>, keys such as
/// <c>generator_model.0.weight</c>) into our <c>model.safetensors</c>. The architecture is read off the
/// weights' shapes (the article's topology with any widths) unless a named one is given.
/// </summary>
public static partial class PyTorchImport
{
    [GeneratedRegex(@"^(?:(?<prefix>.*)\.)?(?<index>\d+)\.(?<field>weight|bias|running_mean|running_var|num_batches_tracked)$")]
    private static partial Regex SequentialKey();

    /// <summary>Reads <paramref name="pthPath"/>, builds the generator and returns it with the facts to store.</summary>
    /// <exception cref="InvalidDataException">Not a PyTorch checkpoint, or not a context-encoder generator.</exception>
    public static (CenterGenerator Generator, string Facts) Import(string pthPath, string? architecture = null, int imageSize = 128)
    {
        if (!File.Exists(pthPath)) throw new FileNotFoundException($"'{pthPath}' does not exist", pthPath);
        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(pthPath);
        }
        catch (Exception e) when (e is not (InvalidDataException or FileNotFoundException))
        {
            throw new InvalidDataException($"'{pthPath}' is not a PyTorch checkpoint this tool can read ({e.GetType().Name}: {e.Message})");
        }
        var groups = FindGeneratorGroups(root, pthPath);
        try
        {
            ModelSpec spec = architecture is null ? InferSpec(groups, imageSize, pthPath) : Architectures.Create(architecture);
            var tensors = MapToSpec(groups, spec, pthPath);
            var generator = new CenterGenerator(spec);
            try
            {
                GeneratorCheckpoint.LoadWeights(generator, tensors, pthPath);
            }
            catch
            {
                generator.Dispose();
                throw;
            }
            var facts = new JsonObject
            {
                ["trainer"] = "pytorch (imported)",
                ["imported_from"] = Path.GetFileName(pthPath),
                ["imported_utc"] = DateTime.UtcNow.ToString("O"),
            };
            return (generator, facts.ToJsonString());
        }
        finally
        {
            foreach (var group in groups.Values)
                foreach (Tensor t in group.Values) t.Dispose();
        }
    }

    /// <summary>Finds the Sequential's entries: index -> (field -> tensor), in the generator's state dict.</summary>
    private static SortedDictionary<int, Dictionary<string, Tensor>> FindGeneratorGroups(Hashtable root, string path)
    {
        Hashtable? stateDict = null;
        if (root["state_dict"] is Hashtable sd) stateDict = sd;
        else if (root.Keys.Cast<object>().Any(k => k is string s && SequentialKey().IsMatch(s))) stateDict = root;
        else
            foreach (DictionaryEntry entry in root)
                if (entry.Value is Hashtable candidate && candidate.Keys.Cast<object>().Any(k => k is string s && SequentialKey().IsMatch(s)))
                {
                    stateDict = candidate;
                    break;
                }
        if (stateDict is null)
            throw new InvalidDataException($"'{path}' holds no generator state_dict (expected a 'state_dict' entry with keys like 'generator_model.0.weight')");

        var groups = new SortedDictionary<int, Dictionary<string, Tensor>>();
        string? prefix = null;
        foreach (DictionaryEntry entry in stateDict)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor) continue;
            Match m = SequentialKey().Match(key);
            if (!m.Success) throw new InvalidDataException($"'{path}': unexpected key '{key}' in the generator's state_dict");
            string p = m.Groups["prefix"].Value;
            if (prefix is not null && p != prefix) throw new InvalidDataException($"'{path}': the state_dict mixes modules '{prefix}' and '{p}'");
            prefix = p;
            int index = int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!groups.TryGetValue(index, out var fields)) groups[index] = fields = new Dictionary<string, Tensor>();
            fields[m.Groups["field"].Value] = tensor;
        }
        if (groups.Count == 0) throw new InvalidDataException($"'{path}': the state_dict holds no tensors");
        return groups;
    }

    /// <summary>Reads the article's topology off the shapes: k4 convs, a k1 bottleneck, k4 transposed convs, a k3 conv.</summary>
    private static ModelSpec InferSpec(SortedDictionary<int, Dictionary<string, Tensor>> groups, int imageSize, string path)
    {
        var convs = groups.Values.Where(g => g.TryGetValue("weight", out var w) && w.dim() == 4).Select(g => g["weight"].shape).ToList();
        int bottleneckAt = convs.FindIndex(s => s[2] == 1 && s[3] == 1);
        if (bottleneckAt < 1 || convs.Count < bottleneckAt + 3 || convs[^1][2] != 3)
            throw new InvalidDataException($"'{path}' does not look like the article's context-encoder generator (k4 convs, a 1x1 bottleneck, k4 transposed convs, a 3x3 output conv); name its architecture with --arch");
        var encoder = convs.Take(bottleneckAt).Select(s => (int)s[0]).ToList();
        int bottleneck = (int)convs[bottleneckAt][0];
        // ConvTranspose2d stores [in, out, k, k].
        var decoder = convs.Skip(bottleneckAt + 1).Take(convs.Count - bottleneckAt - 2).Select(s => (int)s[1]).ToList();
        ModelSpec spec;
        try
        {
            spec = Architectures.ContextEncoder("imported", imageSize, encoder, bottleneck, decoder);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': the inferred architecture is inconsistent: {e.Message}");
        }
        ModelSpec seed = Architectures.Create(Architectures.Seed);
        return spec with { Architecture = spec.Layers.SequenceEqual(seed.Layers) && imageSize == seed.ImageSize ? Architectures.Seed : "imported" };
    }

    /// <summary>Assigns the Sequential's groups, in order, to the spec's convolutions and norms.</summary>
    private static Dictionary<string, Tensor> MapToSpec(SortedDictionary<int, Dictionary<string, Tensor>> groups, ModelSpec spec, string path)
    {
        var queue = new Queue<Dictionary<string, Tensor>>(groups.Values);
        var result = new Dictionary<string, Tensor>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (!queue.TryDequeue(out var conv) || !conv.ContainsKey("weight") || conv.ContainsKey("running_mean"))
                throw new InvalidDataException($"'{path}': expected a convolution for layer {i} of the '{spec.Architecture}' architecture");
            foreach (var (field, t) in conv) result[$"blocks.{i}.conv.{field}"] = t;
            if (spec.Layers[i].Norm != NormKinds.Batch) continue;
            if (!queue.TryDequeue(out var norm) || !norm.ContainsKey("running_mean"))
                throw new InvalidDataException($"'{path}': expected a BatchNorm after layer {i} of the '{spec.Architecture}' architecture");
            foreach (var (field, t) in norm) result[$"blocks.{i}.norm.{field}"] = t;
        }
        if (queue.Count > 0)
            throw new InvalidDataException($"'{path}' has {queue.Count} more parametrised layer(s) than the '{spec.Architecture}' architecture");
        return result;
    }
}
