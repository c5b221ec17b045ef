using Inpaint.Contract;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;

namespace Inpaint.OnnxInpaint.MLNet;

/// <summary>Options of <c>mlContext.Transforms.DetectDamage</c>.</summary>
public sealed class DetectDamageOptions
{
    /// <summary>Column of damage masks (MLImage: white = damage, black elsewhere), the column <c>InpaintImages</c> takes as its mask.</summary>
    public string OutputColumnName { get; set; } = "Mask";

    /// <summary>Column of photos (MLImage).</summary>
    public string ImageColumnName { get; set; } = "Image";

    /// <summary>The damage detector's ONNX file (<c>inpaint.task detect</c>).</summary>
    public string ModelFile { get; set; } = "";

    /// <summary>The damage probability from which a pixel is damage; 0: the detector's own.</summary>
    public double Threshold { get; set; }

    /// <summary>CUDA device to run on; null: the CPU.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Run on the CPU when the GPU cannot be used.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Width the photos are resized to and searched at (required: ML.NET's image columns have a fixed size).</summary>
    public int Width { get; set; }

    /// <summary>Height the photos are resized to and searched at.</summary>
    public int Height { get; set; }
}

/// <summary>
/// Finds damage in an ML.NET pipeline by composing built-in estimators: ResizeImages (to the chosen size), ExtractPixels
/// (planar 0..255), ApplyOnnxModel (the detector: <c>image</c> in, <c>damage</c> out), the stateless
/// <see cref="DamageThresholdMapping"/> (damage from the threshold, as a white-on-black RGB mask) and ConvertToImage. Its
/// output column is a mask <c>InpaintImages</c> takes, so the two compose into repairing without a mask. The threshold
/// lives in the mapping, which ML.NET cannot rebuild from a saved model: build pipelines with it in code rather than
/// saving and loading them. <see cref="DamageDetector"/> works on whole photos of any size instead.
/// </summary>
public sealed class DetectDamageEstimator : IEstimator<ITransformer>
{
    internal const string PlanesColumn = "__detect_mask_planes";
    private const string Resized = "__detect_image_resized", Pixels = ContractNames.ImageInput, Damage = ContractNames.DamageOutput, Planes = PlanesColumn;

    private readonly IEstimator<ITransformer> chain;

    internal DetectDamageEstimator(MLContext context, DetectDamageOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.ModelFile);
        if (options.Width <= 0 || options.Height <= 0) throw new ArgumentOutOfRangeException(nameof(options), "DetectDamage needs the width and height to search at");
        if (options.Threshold is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "the threshold must be 0 (the detector's own) or between 0 and 1");
        if (!File.Exists(options.ModelFile)) throw new FileNotFoundException($"detector '{options.ModelFile}' does not exist", options.ModelFile);
        double threshold;
        using (var detector = DamageDetector.Load(options.ModelFile, new InpaintModelOptions { Provider = ExecutionProvider.Cpu }))
            threshold = options.Threshold > 0 ? options.Threshold : detector.Contract.Threshold;
        Options = options;
        Threshold = threshold;
        int w = options.Width, h = options.Height;
        var t = context.Transforms;
        chain = t.ResizeImages(Resized, w, h, options.ImageColumnName, ImageResizingEstimator.ResizingKind.Fill)
            .Append(t.ExtractPixels(Pixels, Resized, ImagePixelExtractingEstimator.ColorBits.Rgb, interleavePixelColors: false))
            .Append(t.ApplyOnnxModel([Damage], [Pixels], options.ModelFile,
                new Dictionary<string, int[]> { [Pixels] = [1, 3, h, w], [Damage] = [1, 1, h, w] }, options.GpuDeviceId, options.FallbackToCpu))
            .Append(t.CustomMapping(new DamageThresholdMapping((float)threshold).GetMapping(), DamageThresholdMapping.ContractName,
                outputSchemaDefinition: PlanesOfSize(w, h)))
            .Append(t.ConvertToImage(h, w, options.OutputColumnName, Planes, ImagePixelExtractingEstimator.ColorBits.Rgb, interleavedColors: false))
            .Append(t.DropColumns(Resized, Pixels, Damage, Planes));
    }

    /// <summary>The mapping's output as a vector of known size, which ConvertToImage needs (a class attribute cannot say it: the size is the caller's).</summary>
    private static SchemaDefinition PlanesOfSize(int width, int height)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(DamageMaskPlanes));
        schema[Planes].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3, height, width);
        return schema;
    }

    /// <summary>The options.</summary>
    public DetectDamageOptions Options { get; }

    /// <summary>The threshold used: the options', or the detector's own.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input) => chain.Fit(input);

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => chain.GetOutputSchema(inputSchema);
}

/// <summary>A detector's damage probabilities, [1,1,H,W] flattened (input of <see cref="DamageThresholdMapping"/>).</summary>
public sealed class DamageProbabilities
{
    /// <summary>Probability per pixel, 0..1.</summary>
    [ColumnName(ContractNames.DamageOutput)] public float[] Damage { get; set; } = [];
}

/// <summary>A damage mask as three planes, 0..255 (output of <see cref="DamageThresholdMapping"/>).</summary>
public sealed class DamageMaskPlanes
{
    /// <summary>R, G and B planes: 255 where the pixel is damage, else 0.</summary>
    [ColumnName(DetectDamageEstimator.PlanesColumn)] public float[] Planes { get; set; } = [];
}

/// <summary>Damage from a threshold as an ML.NET mapping: a white-on-black mask (the project's mask convention) in three planes for ConvertToImage.</summary>
public sealed class DamageThresholdMapping : CustomMappingFactory<DamageProbabilities, DamageMaskPlanes>
{
    /// <summary>The mapping's contract name in a pipeline.</summary>
    public const string ContractName = "Inpaint.DamageThreshold";

    private readonly float threshold;

    /// <summary>A mapping at <paramref name="threshold"/>.</summary>
    public DamageThresholdMapping(float threshold) => this.threshold = threshold;

    /// <summary>Thresholds one detector output.</summary>
    public static void Map(DamageProbabilities input, DamageMaskPlanes output, float threshold)
    {
        int plane = input.Damage.Length;
        var planes = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            float v = input.Damage[i] >= threshold ? 255f : 0f;
            planes[i] = planes[plane + i] = planes[2 * plane + i] = v;
        }
        output.Planes = planes;
    }

    /// <inheritdoc />
    public override Action<DamageProbabilities, DamageMaskPlanes> GetMapping()
    {
        float t = threshold;
        return (input, output) => Map(input, output, t);
    }
}
