using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inpaint.Trainer.Models;

/// <summary>
/// Where the generator's hole lies and what it fills, as the checkpoint and the ONNX metadata describe it.
/// </summary>
public sealed record HoleSpec
{
    /// <summary>"center": the generator fills the centred square of <see cref="Size"/> pixels.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "center";

    /// <summary>Side of the square hole the generator's patch covers, in pixels.</summary>
    [JsonPropertyName("size")] public int Size { get; init; } = 64;

    /// <summary>
    /// Pathak's overlap: the blanked square is smaller than the patch by this many pixels on each side, and
    /// the loss weighs that rim more. 0 (the article) blanks the whole patch.
    /// </summary>
    [JsonPropertyName("overlap")] public int Overlap { get; init; }

    /// <summary>Fill of the blanked pixels in the network's [-1, 1] range, one value per RGB channel.</summary>
    [JsonPropertyName("fill")] public float[] Fill { get; init; } = [1f, 1f, 1f];

    /// <summary>The value written to <c>inpaint.hole</c>, e.g. <c>center:64</c>.</summary>
    public string Describe() => $"{Kind}:{Size}";
}

/// <summary>
/// A generator described as data: the layer list plus the geometry and normalisation around it.
/// It is stored as JSON in the checkpoint's <c>__metadata__</c> so the exporter builds the same network.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>Version of this JSON layout.</summary>
    [JsonPropertyName("format")] public int Format { get; init; } = 1;

    /// <summary>Architecture name (<c>seed</c>, <c>compact</c>, or a user's own).</summary>
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";

    /// <summary>Side of the square input image, in pixels.</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; init; } = 128;

    /// <summary>The hole the generator fills.</summary>
    [JsonPropertyName("hole")] public HoleSpec Hole { get; init; } = new();

    /// <summary>How 8-bit pixels map to the network's input: <c>x / 127.5 - 1</c>.</summary>
    [JsonPropertyName("normalisation")] public string Normalisation { get; init; } = "minus_one_to_one";

    /// <summary>The generator's blocks, applied in order.</summary>
    [JsonPropertyName("layers")] public IReadOnlyList<LayerSpec> Layers { get; init; } = [];

    /// <summary>Side of the generator's output, computed from the layers.</summary>
    [JsonIgnore]
    public int OutputSize => Layers.Aggregate(ImageSize, (size, layer) => layer.OutputSize(size));

    /// <summary>Trainable parameters of the generator.</summary>
    [JsonIgnore]
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>Serialises the spec as compact JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a spec.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a valid spec.</exception>
    public static ModelSpec FromJson(string json)
    {
        ModelSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the model spec is not valid JSON: {e.Message}");
        }
        if (spec is null) throw new InvalidDataException("the model spec is empty");
        spec.Validate();
        return spec;
    }

    /// <summary>Checks that the layers chain and that the output is the hole's patch.</summary>
    /// <exception cref="InvalidDataException">The spec is inconsistent.</exception>
    public void Validate()
    {
        if (Format != 1) throw new InvalidDataException($"model spec format {Format} is not supported (this build reads format 1)");
        if (Layers.Count == 0) throw new InvalidDataException("the model spec has no layers");
        if (ImageSize <= 0) throw new InvalidDataException($"image size {ImageSize} must be positive");
        if (Hole.Fill.Length != 3) throw new InvalidDataException("the hole fill needs one value per RGB channel");
        int channels = 3, size = ImageSize;
        for (int i = 0; i < Layers.Count; i++)
        {
            LayerSpec layer = Layers[i];
            if (layer.Kind is not (LayerKinds.Conv or LayerKinds.ConvTranspose))
                throw new InvalidDataException($"layer {i}: unknown kind '{layer.Kind}'");
            if (layer.Norm is not (NormKinds.None or NormKinds.Batch))
                throw new InvalidDataException($"layer {i}: unknown norm '{layer.Norm}'");
            if (layer.Activation is not (ActivationKinds.None or ActivationKinds.LeakyRelu or ActivationKinds.Relu or ActivationKinds.Tanh))
                throw new InvalidDataException($"layer {i}: unknown activation '{layer.Activation}'");
            if (layer.InChannels != channels)
                throw new InvalidDataException($"layer {i} takes {layer.InChannels} channels but receives {channels}");
            if (layer.Kernel <= 0 || layer.Stride <= 0 || layer.Padding < 0 || layer.OutChannels <= 0)
                throw new InvalidDataException($"layer {i} has a non-positive kernel, stride or channel count");
            size = layer.OutputSize(size);
            if (size <= 0) throw new InvalidDataException($"layer {i} shrinks the image to nothing");
            channels = layer.OutChannels;
        }
        if (channels != 3) throw new InvalidDataException($"the generator ends with {channels} channels, not 3 (RGB)");
        if (size != Hole.Size)
            throw new InvalidDataException($"the generator outputs {size}x{size} but the hole is {Hole.Size}x{Hole.Size}");
        if (Hole.Size > ImageSize) throw new InvalidDataException("the hole is larger than the image");
        if (Hole.Overlap < 0 || 2 * Hole.Overlap >= Hole.Size) throw new InvalidDataException($"overlap {Hole.Overlap} does not fit the hole");
    }
}
