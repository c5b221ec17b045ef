using Inpaint.OnnxInpaint.MLNet;

namespace Microsoft.ML;

/// <summary>ML.NET catalog extensions for image inpainting with Inpaint models.</summary>
public static class InpaintingCatalog
{
    /// <summary>
    /// Inpaints <paramref name="imageColumnName"/> where <paramref name="maskColumnName"/> is white, with an
    /// "inpaint/1" ONNX model; the result column holds MLImages at the model's size.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column of inpainted images.</param>
    /// <param name="modelFile">The ONNX model.</param>
    /// <param name="imageColumnName">Column of photos (MLImage); defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="maskColumnName">Column of masks (MLImage).</param>
    /// <param name="gpuDeviceId">CUDA device; null: CPU.</param>
    /// <param name="fallbackToCpu">Fall back to the CPU when the GPU cannot be used.</param>
    public static InpaintImagesEstimator InpaintImages(this TransformsCatalog catalog, string outputColumnName, string modelFile,
        string? imageColumnName = null, string maskColumnName = "Mask", int? gpuDeviceId = null, bool fallbackToCpu = false) =>
        InpaintImages(catalog, new InpaintImagesOptions
        {
            OutputColumnName = outputColumnName, ModelFile = modelFile, ImageColumnName = imageColumnName ?? outputColumnName,
            MaskColumnName = maskColumnName, GpuDeviceId = gpuDeviceId, FallbackToCpu = fallbackToCpu,
        });

    /// <summary>Inpaints images with the given options.</summary>
    public static InpaintImagesEstimator InpaintImages(this TransformsCatalog catalog, InpaintImagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // The catalog's host environment is internal to ML.NET; the composed built-in estimators only use a context
        // to create themselves, so a private one serves (nothing random or stateful is involved).
        return new InpaintImagesEstimator(new MLContext(), options);
    }

    /// <summary>
    /// Finds the damage in <paramref name="imageColumnName"/> with a damage detector and writes it as a mask column
    /// (white = damage) that <see cref="InpaintImages(TransformsCatalog, InpaintImagesOptions)"/> takes as its mask:
    /// <c>DetectDamage("Mask", ...).Append(InpaintImages("Repaired", ..., maskColumnName: "Mask"))</c> repairs without a mask.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column of damage masks.</param>
    /// <param name="modelFile">The damage detector's ONNX file.</param>
    /// <param name="width">Width the photos are searched at.</param>
    /// <param name="height">Height the photos are searched at.</param>
    /// <param name="imageColumnName">Column of photos (MLImage).</param>
    /// <param name="threshold">The damage probability from which a pixel is damage; 0: the detector's own.</param>
    public static DetectDamageEstimator DetectDamage(this TransformsCatalog catalog, string outputColumnName, string modelFile, int width, int height,
        string imageColumnName = "Image", double threshold = 0) =>
        DetectDamage(catalog, new DetectDamageOptions
        {
            OutputColumnName = outputColumnName, ModelFile = modelFile, Width = width, Height = height, ImageColumnName = imageColumnName, Threshold = threshold,
        });

    /// <summary>Finds damage with the given options.</summary>
    public static DetectDamageEstimator DetectDamage(this TransformsCatalog catalog, DetectDamageOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new DetectDamageEstimator(new MLContext(), options);
    }
}
