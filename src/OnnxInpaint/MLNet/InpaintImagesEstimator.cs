using Inpaint.Contract;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Inpaint.OnnxInpaint.MLNet;

/// <summary>Options of <c>mlContext.Transforms.InpaintImages</c>.</summary>
public sealed class InpaintImagesOptions
{
    /// <summary>Column of inpainted images (MLImage, the model's size).</summary>
    public string OutputColumnName { get; set; } = "Inpainted";

    /// <summary>Column of photos (MLImage).</summary>
    public string ImageColumnName { get; set; } = "Image";

    /// <summary>Column of masks (MLImage; white = repair, or transparent where alpha is used).</summary>
    public string MaskColumnName { get; set; } = "Mask";

    /// <summary>The "inpaint/1" ONNX model file.</summary>
    public string ModelFile { get; set; } = "";

    /// <summary>CUDA device to run on; null: the CPU.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Run on the CPU when the GPU cannot be used.</summary>
    public bool FallbackToCpu { get; set; }
}

/// <summary>
/// Inpaints images in an ML.NET pipeline by composing built-in estimators only: ResizeImages (photo and mask to
/// the model's size), ConvertToGrayscale (the mask's luminance), ExtractPixels (planar 0..255 floats),
/// ApplyOnnxModel, ConvertToImage and DropColumns for the intermediates. With no custom step, a fitted pipeline
/// survives <c>mlContext.Model.Save</c> and <c>Load</c> in a new MLContext with nothing to register. Pixels
/// outside the holes come out equal to the resized input. The mask follows the luminance rule (white = repair);
/// masks that mark holes with transparency should be flattened first, or use <see cref="PhotoRepairer"/>,
/// which also repairs large photos at full resolution.
/// </summary>
public sealed class InpaintImagesEstimator : IEstimator<ITransformer>
{
    internal const string ImagePixelsColumn = "image";       // the ONNX input name
    private const string ResizedImage = "__inpaint_image_resized", ResizedMask = "__inpaint_mask_resized", GreyMask = "__inpaint_mask_grey";

    private readonly IEstimator<ITransformer> chain;

    internal InpaintImagesEstimator(MLContext context, InpaintImagesOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.ModelFile);
        if (!File.Exists(options.ModelFile)) throw new FileNotFoundException($"model '{options.ModelFile}' does not exist", options.ModelFile);
        int size;
        using (var model = InpaintModel.Load(options.ModelFile, new InpaintModelOptions { Provider = ExecutionProvider.Cpu }))
            size = model.Contract.ImageSize;
        Options = options;
        ImageSize = size;
        var t = context.Transforms;
        chain = t.ResizeImages(ResizedImage, size, size, options.ImageColumnName, ImageResizingEstimator.ResizingKind.Fill)
            .Append(t.ResizeImages(ResizedMask, size, size, options.MaskColumnName, ImageResizingEstimator.ResizingKind.Fill))
            .Append(t.ExtractPixels(ImagePixelsColumn, ResizedImage, ImagePixelExtractingEstimator.ColorBits.Rgb, interleavePixelColors: false))
            // The mask convention's luminance rule: grey levels 0..255, and the graph's own mask >= 127.5 test.
            .Append(t.ConvertToGrayscale(GreyMask, ResizedMask))
            .Append(t.ExtractPixels(ContractNames.MaskInput, GreyMask, ImagePixelExtractingEstimator.ColorBits.Red, interleavePixelColors: false))
            .Append(t.ApplyOnnxModel([ContractNames.Output], [ContractNames.ImageInput, ContractNames.MaskInput], options.ModelFile,
                new Dictionary<string, int[]>
                {
                    [ContractNames.ImageInput] = [1, 3, size, size], [ContractNames.MaskInput] = [1, 1, size, size], [ContractNames.Output] = [1, 3, size, size],
                }, options.GpuDeviceId, options.FallbackToCpu))
            .Append(t.ConvertToImage(size, size, options.OutputColumnName, ContractNames.Output, ImagePixelExtractingEstimator.ColorBits.Rgb,
                interleavedColors: false))
            .Append(t.DropColumns(ResizedImage, ResizedMask, GreyMask, ImagePixelsColumn, ContractNames.MaskInput, ContractNames.Output));
    }

    /// <summary>The options.</summary>
    public InpaintImagesOptions Options { get; }

    /// <summary>The model's input size (the output images' size).</summary>
    public int ImageSize { get; }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input) => chain.Fit(input);

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => chain.GetOutputSchema(inputSchema);
}
