using System.Globalization;

namespace Inpaint.Contract;

/// <summary>
/// What an "inpaint/1" model says about itself in its <c>metadata_props</c>: the contract, the architecture, the
/// tile size, the hole kind and the facts a caller needs to feed it. The exporter writes it with
/// <see cref="ToMetadata"/>, the runtime reads it with <see cref="Parse"/>: one home for every key.
/// </summary>
public sealed record ModelContract
{
    /// <summary>Contract version (1).</summary>
    public int Version { get; init; } = ContractNames.Version;

    /// <summary>Architecture name.</summary>
    public required string Architecture { get; init; }

    /// <summary>Side of a patch model's square input; the training tile of a freeform model.</summary>
    public required int ImageSize { get; init; }

    /// <summary>Which pixels the generator fills.</summary>
    public required HoleKind Hole { get; init; }

    /// <summary>The network's total downsampling factor (1 when unknown).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Side of the square a centre model blanks before its generator (its hole minus the overlap); 0 for freeform.</summary>
    public int BlankSize { get; init; }

    /// <summary>Smallest useful height and width of a freeform model's input (the image size for a patch model).</summary>
    public int MinSize { get; init; }

    /// <summary>Known pixels a freeform model wants on each side of a hole for full quality (0 for a patch model).</summary>
    public int Context { get; init; }

    /// <summary>The classical pre-fill inside a freeform graph (empty for a patch model).</summary>
    public string Prefill { get; init; } = "";

    /// <summary>
    /// Whether a freeform model takes its pre-fill from the caller on request (<see cref="MetadataKeys.Prefilled"/>): fed
    /// through the optional input <see cref="ContractNames.PrefilledInput"/>, the graph runs only its network.
    /// </summary>
    public bool HasPrefilledPath { get; init; }

    /// <summary>All metadata, including keys this record does not interpret (training facts, spec, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The family: <see cref="ModelFamily.Center"/> for a <c>center:N</c> hole, else <see cref="ModelFamily.Freeform"/>.</summary>
    public ModelFamily Family => Hole is HoleKind.Center ? ModelFamily.Center : ModelFamily.Freeform;

    /// <summary>The architecture spec from <c>inpaint.spec</c>, when the model carries a valid one (null otherwise).</summary>
    public ModelSpec? Spec => ModelSpec.FromMetadata(Metadata);

    /// <summary>
    /// Known pixels a freeform tile should carry around a hole when its model does not say: a quarter of the training
    /// tile, and at least one granule of the network's stride.
    /// </summary>
    public static int DefaultContext(int imageSize, int stride) => Math.Max(stride, imageSize / 4);

    /// <summary>The smallest height and width worth running a freeform model at: 8 pixels, or one stride if larger.</summary>
    public static int SmallestFreeformSize(int stride) => Math.Max(8, stride);

    /// <summary>The contract of a model built from <paramref name="spec"/>, as its exported metadata states it.</summary>
    public static ModelContract From(ModelSpec spec) => spec.Family == ModelFamily.Freeform
        ? new ModelContract
        {
            Architecture = spec.Architecture, ImageSize = spec.ImageSize, Hole = HoleKind.Freeform, Stride = spec.Granularity,
            MinSize = SmallestFreeformSize(spec.Granularity), Context = spec.Context ?? DefaultContext(spec.ImageSize, spec.Granularity),
            Prefill = spec.Prefill!.Describe(), HasPrefilledPath = spec.Layers.Count > 0,
        }
        : new ModelContract
        {
            Architecture = spec.Architecture, ImageSize = spec.ImageSize, Hole = spec.Hole.ToHoleKind(), Stride = spec.Granularity,
            BlankSize = spec.Hole.Size - 2 * spec.Hole.Overlap, MinSize = spec.ImageSize,
        };

    /// <summary>Side of the centre hole of a patch model (0 for freeform).</summary>
    public int HoleSize => Hole is HoleKind.Center c ? c.Size : 0;

    /// <summary>The contract keys as <c>metadata_props</c> entries, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata()
    {
        static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var entries = new List<KeyValuePair<string, string>>
        {
            new(MetadataKeys.Contract, I(Version)),
            new(MetadataKeys.Architecture, Architecture),
            new(MetadataKeys.ImageSize, I(ImageSize)),
            new(MetadataKeys.Hole, Hole.ToString()),
            new(MetadataKeys.Stride, I(Stride)),
        };
        if (Hole is HoleKind.Center) entries.Add(new(MetadataKeys.Blank, I(BlankSize)));
        else
        {
            entries.Add(new(MetadataKeys.MinSize, I(MinSize)));
            entries.Add(new(MetadataKeys.Context, I(Context)));
            entries.Add(new(MetadataKeys.Prefill, Prefill));
            if (HasPrefilledPath) entries.Add(new(MetadataKeys.Prefilled, "1"));
        }
        return entries;
    }

    /// <summary>Reads and checks the contract metadata and the graph's input and output names.</summary>
    /// <exception cref="InvalidDataException">Not an inpaint/1 model; the message names what is missing or wrong.</exception>
    public static ModelContract Parse(IReadOnlyDictionary<string, string> metadata, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        if (metadata.GetValueOrDefault(MetadataKeys.Task) == ContractNames.DetectTask)
            throw new InvalidDataException("this ONNX model is a damage detector (inpaint.task detect), not an inpainter: use it with `inpaint detect` or `repair --auto --detector` (DamageDetector in the library)");
        var missing = MetadataKeys.Required.Where(k => !metadata.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"this ONNX model is not an Inpaint model (contract inpaint/1): its metadata lacks {string.Join(", ", missing)}");
        if (!TryInt(metadata[MetadataKeys.Contract], out int version) || version != ContractNames.Version)
            throw new InvalidDataException($"the model declares contract '{metadata[MetadataKeys.Contract]}'; this library reads contract {ContractNames.Version}");
        if (!TryInt(metadata[MetadataKeys.ImageSize], out int size) || size < 8)
            throw new InvalidDataException($"{MetadataKeys.ImageSize} '{metadata[MetadataKeys.ImageSize]}' is not a valid size");
        HoleKind hole;
        try
        {
            hole = HoleKind.Parse(metadata[MetadataKeys.Hole]);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{MetadataKeys.Hole} '{metadata[MetadataKeys.Hole]}' is not supported (center:N or any)");
        }
        if (hole is HoleKind.Center center && center.Size > size)
            throw new InvalidDataException($"{MetadataKeys.Hole} '{metadata[MetadataKeys.Hole]}' does not fit a {size}px model");
        int stride = Optional(metadata, MetadataKeys.Stride, 1);
        int holeSize = hole is HoleKind.Center c ? c.Size : 0;
        int blank = hole is HoleKind.Center ? Math.Clamp(Optional(metadata, MetadataKeys.Blank, holeSize), 1, holeSize) : 0;
        var inputList = inputs.ToList();
        foreach (string name in new[] { ContractNames.ImageInput, ContractNames.MaskInput })
            if (!inputList.Contains(name)) throw new InvalidDataException($"the model has no '{name}' input (it has {string.Join(", ", inputList)})");
        if (!outputs.Contains(ContractNames.Output)) throw new InvalidDataException($"the model has no '{ContractNames.Output}' output");
        bool prefilledPath = hole is HoleKind.Any && metadata.GetValueOrDefault(MetadataKeys.Prefilled) == "1";
        return new ModelContract
        {
            Version = version, Architecture = metadata[MetadataKeys.Architecture], ImageSize = size, Hole = hole, Stride = Math.Max(1, stride),
            BlankSize = blank,
            MinSize = hole is HoleKind.Center ? size : Math.Max(1, Optional(metadata, MetadataKeys.MinSize, SmallestFreeformSize(Math.Max(1, stride)))),
            Context = hole is HoleKind.Center ? 0 : Math.Max(0, Optional(metadata, MetadataKeys.Context, DefaultContext(size, Math.Max(1, stride)))),
            Prefill = metadata.GetValueOrDefault(MetadataKeys.Prefill, ""),
            HasPrefilledPath = prefilledPath,
            Metadata = metadata,
        };
    }

    private static int Optional(IReadOnlyDictionary<string, string> metadata, string key, int fallback) =>
        metadata.TryGetValue(key, out string? text) && TryInt(text, out int value) ? value : fallback;

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
