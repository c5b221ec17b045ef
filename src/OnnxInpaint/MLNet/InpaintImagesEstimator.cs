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

    /// <summary>
    /// Width the images are resized to and inpainted at (0: the model's size). A freeform model takes any size; a
    /// center model only its own.
    /// </summary>
    public int Width { get; set; }

    /// <summary>Height the images are resized to and inpainted at (0: the model's size).</summary>
    public int Height { get; set; }
}

/// <summary>
/// Inpaints images in an ML.NET pipeline by composing built-in estimators: ResizeImages (photo and mask to the
/// chosen size: any size for a freeform model, the model's own for a center model), ConvertToGrayscale and
/// ExtractPixels (planar 0..255 floats, the mask's luminance and alpha), the stateless <see cref="MaskRuleMapping"/>
/// (the mask convention: transparent pixels are the holes when the mask has alpha, else white ones),
/// ApplyOnnxModel, ConvertToImage and DropColumns for the intermediates. A fitted pipeline survives
/// <c>mlContext.Model.Save</c> and <c>Load</c> once the new context has registered this assembly
/// (<c>ComponentCatalog.RegisterAssembly(typeof(MaskRuleMapping).Assembly)</c>). Pixels outside the holes come out
/// equal to the resized input. <see cref="PhotoRepairer"/> repairs large photos at full resolution instead.
/// </summary>
public sealed class InpaintImagesEstimator : IEstimator<ITransformer>
{
    internal const string ImagePixelsColumn = "image";       // the ONNX input name
    private const string ResizedImage = "__inpaint_image_resized", ResizedMask = "__inpaint_mask_resized", GreyMask = "__inpaint_mask_grey";
    private const string Luma = MaskRuleMapping.LumaColumn, Alpha = MaskRuleMapping.AlphaColumn;

    private readonly IEstimator<ITransformer> chain;

    internal InpaintImagesEstimator(MLContext context, InpaintImagesOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.ModelFile);
        if (!File.Exists(options.ModelFile)) throw new FileNotFoundException($"model '{options.ModelFile}' does not exist", options.ModelFile);
        ModelContract contract;
        using (var model = InpaintModel.Load(options.ModelFile, new InpaintModelOptions { Provider = ExecutionProvider.Cpu }))
            contract = model.Contract;
        int width = options.Width > 0 ? options.Width : contract.ImageSize, height = options.Height > 0 ? options.Height : contract.ImageSize;
        if (contract.Family == ModelFamily.Center && (width != contract.ImageSize || height != contract.ImageSize))
            throw new ArgumentException($"'{options.ModelFile}' is a center model of {contract.ImageSize}x{contract.ImageSize}; it cannot run at {width}x{height} (a freeform model can)");
        if (options.Width < 0 || options.Height < 0) throw new ArgumentOutOfRangeException(nameof(options), "width and height cannot be negative");
        Options = options;
        Width = width;
        Height = height;
        var t = context.Transforms;
        chain = t.ResizeImages(ResizedImage, width, height, options.ImageColumnName, ImageResizingEstimator.ResizingKind.Fill)
            .Append(t.ResizeImages(ResizedMask, width, height, options.MaskColumnName, ImageResizingEstimator.ResizingKind.Fill))
            .Append(t.ExtractPixels(ImagePixelsColumn, ResizedImage, ImagePixelExtractingEstimator.ColorBits.Rgb, interleavePixelColors: false))
            // The mask convention: luminance grey levels 0..255, or alpha when the mask is not fully opaque.
            .Append(t.ConvertToGrayscale(GreyMask, ResizedMask))
            .Append(t.ExtractPixels(Luma, GreyMask, ImagePixelExtractingEstimator.ColorBits.Red, interleavePixelColors: false))
            .Append(t.ExtractPixels(Alpha, ResizedMask, ImagePixelExtractingEstimator.ColorBits.Alpha, interleavePixelColors: false))
            .Append(t.CustomMapping(new MaskRuleMapping().GetMapping(), MaskRuleMapping.ContractName))
            .Append(t.ApplyOnnxModel([ContractNames.Output], [ContractNames.ImageInput, ContractNames.MaskInput], options.ModelFile,
                new Dictionary<string, int[]>
                {
                    // The mask comes from a custom mapping as a vector of unstated length (also after a pipeline is saved and
                    // loaded); one open dimension (the channel, -1) lets the ONNX transformer infer it from the length.
                    [ContractNames.ImageInput] = [1, 3, height, width], [ContractNames.MaskInput] = [1, -1, height, width], [ContractNames.Output] = [1, 3, height, width],
                }, options.GpuDeviceId, options.FallbackToCpu))
            .Append(t.ConvertToImage(height, width, options.OutputColumnName, ContractNames.Output, ImagePixelExtractingEstimator.ColorBits.Rgb,
                interleavedColors: false))
            .Append(t.DropColumns(ResizedImage, ResizedMask, GreyMask, Luma, Alpha, ImagePixelsColumn, ContractNames.MaskInput, ContractNames.Output));
    }

    /// <summary>The options.</summary>
    public InpaintImagesOptions Options { get; }

    /// <summary>Width of the output images.</summary>
    public int Width { get; }

    /// <summary>Height of the output images.</summary>
    public int Height { get; }

    /// <summary>The output images' side when they are square (the model's size by default).</summary>
    public int ImageSize => Width;

    /// <inheritdoc />
    public ITransformer Fit(IDataView input) => chain.Fit(input);

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => chain.GetOutputSchema(inputSchema);
}
