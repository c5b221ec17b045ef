namespace Inpaint.Contract;

/// <summary>
/// The mask convention every front end follows (docs/design.md, "Masks"): a mask image the size of the photo; a pixel
/// is a hole where its luminance (ITU-R BT.601) is at least <see cref="HoleLuminance"/>, or, when the mask has an alpha
/// channel that is not fully opaque, where its alpha is below <see cref="HoleAlphaBelow"/>. Generated masks use the
/// same threshold on their coverage, so a mask written from them reads back as drawn.
/// </summary>
public static class MaskConvention
{
    /// <summary>Luminance (0..255) at or above which a pixel is a hole: white repairs, black keeps.</summary>
    public const int HoleLuminance = 128;

    /// <summary>Alpha (0..255) below which a pixel is a hole, when the mask's alpha is used.</summary>
    public const int HoleAlphaBelow = 128;

    /// <summary>Fully opaque alpha: a mask with any alpha below it uses the alpha rule.</summary>
    public const int Opaque = 255;

    /// <summary>Whether an 8-bit RGB mask pixel is a hole by its luminance (integer BT.601 weights, 299/587/114 per mille).</summary>
    public static bool IsHole(byte r, byte g, byte b) => 299 * r + 587 * g + 114 * b >= HoleLuminance * 1000;
}
