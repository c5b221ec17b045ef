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
}
