namespace Inpaint.Contract;

/// <summary>
/// How 8-bit pixel values map to the networks' range: <c>x / 127.5 - 1</c>, so 0..255 becomes -1..1. One home for the
/// trainer's data, the exporter's graphs and its reference pipelines; a spec names it in <c>normalisation</c>.
/// </summary>
public static class PixelNormalisation
{
    /// <summary>The spec's name for this mapping (the only one).</summary>
    public const string MinusOneToOne = "minus_one_to_one";

    /// <summary>Half of the 8-bit range: the divisor of the mapping (and the factor back).</summary>
    public const float HalfRange = 127.5f;

    /// <summary>The largest pixel value, the upper clip of a graph's output.</summary>
    public const float FullRange = 255f;

    /// <summary>A pixel value (0..255) in the network's range.</summary>
    public static float ToNetwork(float pixel) => pixel / HalfRange - 1f;

    /// <summary>A network value back on the pixel scale (not clipped).</summary>
    public static float ToPixel(float value) => (value + 1f) * HalfRange;

    /// <summary>A network value as the nearest 8-bit pixel, clipped to 0..255.</summary>
    public static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(ToPixel(value)), 0f, FullRange);
}
