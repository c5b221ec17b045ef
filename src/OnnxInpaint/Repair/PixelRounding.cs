namespace Inpaint.OnnxInpaint.Repair;

/// <summary>A model's 0..255 float output as an 8-bit pixel value: rounded to the nearest, clipped.</summary>
internal static class PixelRounding
{
    public static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
}
