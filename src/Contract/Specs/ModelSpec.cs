using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inpaint.Contract;

/// <summary>
/// A generator described as data: the layer list plus the geometry and normalisation around it.
/// It is stored as JSON in the checkpoint's <c>__metadata__</c> so the exporter builds the same network.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>Version of this JSON layout: 1 for the context encoder, 2 for specs that use the freeform fields.</summary>
    [JsonPropertyName("format")] public int Format { get; init; } = 1;

    /// <summary>The family's word (absent: the center family, as in format 1; <see cref="ModelFamilies.Parse"/>).</summary>
    [JsonPropertyName("family")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FamilyName { get; init; }

    /// <summary>The freeform family's classical pre-fill.</summary>
    [JsonPropertyName("prefill")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PrefillSpec? Prefill { get; init; }

    /// <summary>Known pixels a freeform model wants around a hole, per side (what a caller's tiles should include).</summary>
    [JsonPropertyName("context")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Context { get; init; }

    /// <summary>The family.</summary>
    /// <exception cref="InvalidDataException">An unknown family word.</exception>
    [JsonIgnore]
    public ModelFamily Family => ModelFamilies.Parse(FamilyName);

    /// <summary>Channels the first layer receives: 4 (pre-filled RGB + hole) for freeform, 3 (RGB) for the others.</summary>
    [JsonIgnore]
    public int InputChannels => Family == ModelFamily.Freeform ? 4 : 3;

    /// <summary>Channels the last layer gives: the RGB patch or residual of an inpainter, a detector's one damage logit.</summary>
    [JsonIgnore]
    public int OutputChannels => Family == ModelFamily.Detector ? 1 : 3;

    /// <summary>
    /// The freeform network's granularity: the product of its convolution strides. Its graph pads height and width
    /// up to a multiple of it and crops back, so callers may pass any size.
    /// </summary>
    [JsonIgnore]
    public int Granularity => Layers.Where(l => l.Kind == LayerKinds.Conv).Aggregate(1, (a, l) => a * l.Stride);

    /// <summary>Architecture name (<c>seed</c>, <c>compact</c>, or a user's own).</summary>
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";

    /// <summary>Side of the square input image, in pixels.</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; init; } = 128;

    /// <summary>The hole the generator fills.</summary>
    [JsonPropertyName("hole")] public HoleSpec Hole { get; init; } = new();

    /// <summary>How 8-bit pixels map to the network's input (<see cref="PixelNormalisation"/>, the only one).</summary>
    [JsonPropertyName("normalisation")] public string Normalisation { get; init; } = PixelNormalisation.MinusOneToOne;

    /// <summary>The generator's blocks, applied in order.</summary>
    [JsonPropertyName("layers")] public IReadOnlyList<LayerSpec> Layers { get; init; } = [];

    /// <summary>Side of the generator's output, computed from the layers.</summary>
    [JsonIgnore]
    public int OutputSize => Layers.Aggregate(ImageSize, (size, layer) => layer.OutputSize(size));

    /// <summary>Multiply-adds of the generator for one input of <paramref name="size"/> pixels on a side (the image size by default).</summary>
    public double MultiplyAdds(int size = 0)
    {
        size = size > 0 ? size : ImageSize;
        double total = 0;
        foreach (LayerSpec layer in Layers)
        {
            int output = layer.OutputSize(size);
            total += layer.MultiplyAdds(size, output);
            size = output;
        }
        return total;
    }

    /// <summary>
    /// Floating-point operations of the generator for one image at its own size: twice the multiply-adds of its
    /// convolutions (a U-Net's skips are in its layers' input channels; a freeform model's pre-fill is not counted).
    /// </summary>
    public double FlopsPerImage() => 2 * MultiplyAdds();

    /// <summary>Trainable parameters of the generator.</summary>
    [JsonIgnore]
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>Serialises the spec as compact JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The valid spec a model's metadata carries under <c>inpaint.spec</c>, or null (absent or not valid).</summary>
    public static ModelSpec? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(MetadataKeys.Spec, out string? json)) return null;
        try
        {
            return FromJson(json);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

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

    /// <summary>Checks that the layers chain and that the output is what the family needs.</summary>
    /// <exception cref="InvalidDataException">The spec is inconsistent.</exception>
    public void Validate()
    {
        if (Format is not (1 or 2)) throw new InvalidDataException($"model spec format {Format} is not supported (this build reads formats 1 and 2)");
        if (ImageSize <= 0) throw new InvalidDataException($"image size {ImageSize} must be positive");
        if (Normalisation != PixelNormalisation.MinusOneToOne)
            throw new InvalidDataException($"normalisation '{Normalisation}' is not supported (only {PixelNormalisation.MinusOneToOne})");
        switch (Family)
        {
            case ModelFamily.Freeform: ValidateFreeform(); break;
            case ModelFamily.Detector: ValidateDetector(); break;
            default: ValidateCenter(); break;
        }
    }

    private void ValidateCenter()
    {
        if (Layers.Count == 0) throw new InvalidDataException("the model spec has no layers");
        if (Hole.Kind != HoleSpec.CenterKind) throw new InvalidDataException($"a center model fills a centred hole, not '{Hole.Kind}'");
        if (Hole.Fill.Length != 3) throw new InvalidDataException("the hole fill needs one value per RGB channel");
        int channels = 3, size = ImageSize;
        for (int i = 0; i < Layers.Count; i++)
        {
            LayerSpec layer = Layers[i];
            if (layer.Kind is not (LayerKinds.Conv or LayerKinds.ConvTranspose))
                throw new InvalidDataException($"layer {i}: unknown kind '{layer.Kind}'");
            if (layer.Concat is not null || layer.DilationOrOne != 1)
                throw new InvalidDataException($"layer {i}: skips and dilation belong to the freeform family");
            CheckBlock(i, layer);
            if (layer.InChannels != channels)
                throw new InvalidDataException($"layer {i} takes {layer.InChannels} channels but receives {channels}");
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

    private void ValidateFreeform()
    {
        if (Format != 2) throw new InvalidDataException("a freeform spec is format 2");
        if (Hole.Kind != HoleSpec.AnyKind) throw new InvalidDataException($"a freeform model fills any hole (hole kind '{HoleSpec.AnyKind}'), not '{Hole.Kind}'");
        if (Prefill is null) throw new InvalidDataException("a freeform spec needs its pre-fill");
        Prefill.Validate();
        if (Context is < 0) throw new InvalidDataException("the context margin cannot be negative");
        // No layers: the pre-fill alone (a classical inpainter).
        if (Layers.Count == 0) return;
        ValidateUNet("the residual");
    }

    private void ValidateDetector()
    {
        if (Format != 2) throw new InvalidDataException("a detector spec is format 2");
        if (Prefill is not null) throw new InvalidDataException("a detector has no pre-fill");
        if (Context is < 0) throw new InvalidDataException("the context margin cannot be negative");
        if (Layers.Count == 0) throw new InvalidDataException("the detector spec has no layers");
        ValidateUNet("the damage logit");
    }

    /// <summary>The U-Net layers of the freeform and detector families: they chain, skips fit, and the output has the input's size.</summary>
    private void ValidateUNet(string what)
    {
        var outputs = new List<(int Channels, int Size)>();
        int channels = InputChannels, size = ImageSize;
        for (int i = 0; i < Layers.Count; i++)
        {
            LayerSpec layer = Layers[i];
            if (layer.Kind is not (LayerKinds.Conv or LayerKinds.Upsample))
                throw new InvalidDataException($"layer {i}: a U-Net layer is a conv or an upsample, not '{layer.Kind}'");
            int received = channels;
            if (layer.Concat is int j)
            {
                if (j < 0 || j >= i) throw new InvalidDataException($"layer {i} concatenates layer {j}, which does not come before it");
                if (outputs[j].Size != size)
                    throw new InvalidDataException($"layer {i} concatenates layer {j}'s {outputs[j].Size}px output to a {size}px input");
                received += outputs[j].Channels;
            }
            if (layer.Kind == LayerKinds.Upsample)
            {
                if (layer.Stride < 2 || layer.Concat is not null) throw new InvalidDataException($"layer {i}: an upsample has a factor of at least 2 and no skip");
                if (layer.InChannels != received || layer.OutChannels != received)
                    throw new InvalidDataException($"layer {i}: an upsample keeps its {received} channels");
            }
            else
            {
                CheckBlock(i, layer);
                if (layer.InChannels != received)
                    throw new InvalidDataException($"layer {i} takes {layer.InChannels} channels but receives {received}");
                // "Same" padding at stride 1 keeps the size; at stride s it divides it exactly (the graph pads to the granularity).
                if (2 * layer.Padding != layer.DilationOrOne * (layer.Kernel - 1))
                    throw new InvalidDataException($"layer {i}: padding {layer.Padding} is not 'same' for kernel {layer.Kernel}, dilation {layer.DilationOrOne}");
                if (size % layer.Stride != 0) throw new InvalidDataException($"layer {i}: {size}px does not divide by stride {layer.Stride}");
            }
            size = layer.Kind == LayerKinds.Upsample ? size * layer.Stride : size / layer.Stride;
            channels = layer.OutChannels;
            outputs.Add((channels, size));
        }
        if (channels != OutputChannels)
            throw new InvalidDataException($"the network ends with {channels} channels, not {OutputChannels} ({what})");
        if (size != ImageSize) throw new InvalidDataException($"the network outputs {size}px for a {ImageSize}px input; {what} needs the same size");
        if (Layers[^1].Activation != ActivationKinds.None) throw new InvalidDataException($"the layer of {what} has no activation");
        if (ImageSize % Granularity != 0) throw new InvalidDataException($"the image size {ImageSize} is not a multiple of the granularity {Granularity}");
    }

    private static void CheckBlock(int i, LayerSpec layer)
    {
        if (layer.Norm is not (NormKinds.None or NormKinds.Batch))
            throw new InvalidDataException($"layer {i}: unknown norm '{layer.Norm}'");
        if (layer.Activation is not (ActivationKinds.None or ActivationKinds.LeakyRelu or ActivationKinds.Relu or ActivationKinds.Tanh))
            throw new InvalidDataException($"layer {i}: unknown activation '{layer.Activation}'");
        if (layer.Kernel <= 0 || layer.Stride <= 0 || layer.Padding < 0 || layer.OutChannels <= 0 || layer.DilationOrOne <= 0)
            throw new InvalidDataException($"layer {i} has a non-positive kernel, stride, dilation or channel count");
    }
}
