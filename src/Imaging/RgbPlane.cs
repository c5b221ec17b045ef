namespace Inpaint.Imaging;

/// <summary>An image of interleaved RGB doubles, row-major: the working format of the Laplacian pyramid.</summary>
internal sealed class RgbPlane(int width, int height)
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; } = width;

    /// <summary>Height in pixels.</summary>
    public int Height { get; } = height;

    /// <summary>3 x width x height values, pixel (x, y) channel c at <c>3 * (y * Width + x) + c</c>.</summary>
    public double[] Values { get; } = new double[3 * width * height];

    /// <summary>Interleaved 8-bit RGB on the 0..1 scale.</summary>
    public static RgbPlane FromBytes(byte[] rgb, int width, int height)
    {
        var plane = new RgbPlane(width, height);
        for (int i = 0; i < rgb.Length; i++) plane.Values[i] = rgb[i] / 255.0;
        return plane;
    }

    /// <summary>The index of pixel (x, y)'s first channel.</summary>
    public int Index(int x, int y) => 3 * (y * Width + x);

    /// <summary>This plane minus <paramref name="other"/>, pixel by pixel (same size).</summary>
    public RgbPlane Minus(RgbPlane other)
    {
        var difference = new RgbPlane(Width, Height);
        for (int i = 0; i < Values.Length; i++) difference.Values[i] = Values[i] - other.Values[i];
        return difference;
    }
}
