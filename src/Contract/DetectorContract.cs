using System.Globalization;

namespace Inpaint.Contract;

/// <summary>
/// What a damage detector says about itself in its <c>metadata_props</c>. The contract is "inpaint/1" with
/// <see cref="MetadataKeys.Task"/> <c>detect</c>: input <see cref="ContractNames.ImageInput"/> float32 [N,3,H,W] RGB
/// 0..255, output <see cref="ContractNames.DamageOutput"/> float32 [N,1,H,W] 0..1, any height and width (padded to the
/// network's stride inside the graph). The exporter writes it with <see cref="ToMetadata"/>, the runtime reads it with
/// <see cref="Parse"/>.
/// </summary>
public sealed record DetectorContract
{
    /// <summary>The threshold a detector is given when its training did not tune one.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Architecture name.</summary>
    public required string Architecture { get; init; }

    /// <summary>The training crop's side.</summary>
    public required int ImageSize { get; init; }

    /// <summary>The network's total downsampling factor.</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Pixels of the photo a tile should carry around the part it answers for, per side (its receptive field's reach).</summary>
    public int Context { get; init; }

    /// <summary>The probability above which a pixel is damage, as tuned on held-out photos.</summary>
    public double Threshold { get; init; } = DefaultThreshold;

    /// <summary>All metadata, including keys this record does not interpret.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The architecture spec from <c>inpaint.spec</c>, when the model carries a valid one.</summary>
    public ModelSpec? Spec => ModelSpec.FromMetadata(Metadata);

    /// <summary>The contract of a detector built from <paramref name="spec"/>, with the threshold its training chose.</summary>
    public static DetectorContract From(ModelSpec spec, double threshold) => new()
    {
        Architecture = spec.Architecture, ImageSize = spec.ImageSize, Stride = spec.Granularity,
        Context = spec.Context ?? ModelContract.DefaultContext(spec.ImageSize, spec.Granularity), Threshold = threshold,
    };

    /// <summary>The contract keys as <c>metadata_props</c> entries, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata()
    {
        static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        return
        [
            new(MetadataKeys.Contract, I(ContractNames.Version)),
            new(MetadataKeys.Task, ContractNames.DetectTask),
            new(MetadataKeys.Architecture, Architecture),
            new(MetadataKeys.ImageSize, I(ImageSize)),
            new(MetadataKeys.Stride, I(Stride)),
            new(MetadataKeys.Context, I(Context)),
            new(MetadataKeys.Threshold, Threshold.ToString("0.###", CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>Reads and checks a detector's metadata and its graph's input and output names.</summary>
    /// <exception cref="InvalidDataException">Not a damage detector of this contract; the message says what is wrong.</exception>
    public static DetectorContract Parse(IReadOnlyDictionary<string, string> metadata, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        if (metadata.GetValueOrDefault(MetadataKeys.Task) != ContractNames.DetectTask)
            throw new InvalidDataException(metadata.ContainsKey(MetadataKeys.Hole)
                ? "this ONNX model is an inpainter, not a damage detector: give it as --model, and a detector as --detector"
                : "this ONNX model is not an Inpaint damage detector: its metadata lacks inpaint.task = detect");
        if (!metadata.TryGetValue(MetadataKeys.Contract, out string? version) || version != ContractNames.Version.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"the detector declares contract '{version}'; this library reads contract {ContractNames.Version}");
        if (!metadata.TryGetValue(MetadataKeys.Architecture, out string? architecture))
            throw new InvalidDataException($"the detector's metadata lacks {MetadataKeys.Architecture}");
        int size = Int(metadata, MetadataKeys.ImageSize, 0);
        if (size < 8) throw new InvalidDataException($"{MetadataKeys.ImageSize} '{metadata.GetValueOrDefault(MetadataKeys.ImageSize)}' is not a valid size");
        if (!inputs.Contains(ContractNames.ImageInput)) throw new InvalidDataException($"the detector has no '{ContractNames.ImageInput}' input");
        if (!outputs.Contains(ContractNames.DamageOutput)) throw new InvalidDataException($"the detector has no '{ContractNames.DamageOutput}' output");
        int stride = Math.Max(1, Int(metadata, MetadataKeys.Stride, 1));
        double threshold = metadata.TryGetValue(MetadataKeys.Threshold, out string? t)
            && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && parsed is > 0 and < 1 ? parsed : DefaultThreshold;
        return new DetectorContract
        {
            Architecture = architecture, ImageSize = size, Stride = stride,
            Context = Math.Max(0, Int(metadata, MetadataKeys.Context, ModelContract.DefaultContext(size, stride))), Threshold = threshold, Metadata = metadata,
        };
    }

    private static int Int(IReadOnlyDictionary<string, string> metadata, string key, int fallback) =>
        metadata.TryGetValue(key, out string? text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
