using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// <see cref="PixelNormalisation"/> on tensors: what the exporter's reference pipelines compute around a generator, op
/// for op as its graphs do. Call inside a dispose scope: the constants are left to it.
/// </summary>
public static class PixelTensors
{
    /// <summary>Pixel values (0..255) in the network's range.</summary>
    public static Tensor ToNetwork(Tensor pixels) => pixels / tensor(PixelNormalisation.HalfRange) - tensor(1f);

    /// <summary>Network values back on the pixel scale, clipped to 0..255.</summary>
    public static Tensor ToPixels(Tensor values) =>
        (values.Plus(tensor(1f)) * tensor(PixelNormalisation.HalfRange)).clamp(tensor(0f), tensor(PixelNormalisation.FullRange));

    /// <summary>The contract's hole test on a mask (0..255): true where it is at least the threshold.</summary>
    public static Tensor Holes(Tensor mask) => mask.ge(tensor(ContractNames.MaskThreshold));
}
