using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Imaging;

/// <summary>Which rule turned a mask image into holes.</summary>
public enum MaskSource
{
    /// <summary>Luminance &gt;= 128 is a hole (white = repair).</summary>
    Luminance,

    /// <summary>The mask has a not fully opaque alpha channel: alpha &lt; 128 is a hole.</summary>
    Alpha,

    /// <summary>No mask image: a damage detector found the holes.</summary>
    Detected,
}

/// <summary>A hole map: one flag per pixel, row-major.</summary>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="Holes">True where the photo is to be repaired.</param>
/// <param name="Source">The rule used.</param>
public sealed record HoleMap(int Width, int Height, bool[] Holes, MaskSource Source)
{
    /// <summary>Number of hole pixels.</summary>
    public int Count => Holes.AsSpan().Count(true); // vectorised: this runs over every pixel of the photo

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) is a hole.</summary>
    public bool this[int x, int y] => Holes[y * Width + x];

    /// <summary>The share of the pixels that are holes, 0..1 (0 for an empty map).</summary>
    public double Share => Holes.Length == 0 ? 0 : (double)Count / Holes.Length;

    /// <summary>
    /// The holes grown by <paramref name="pixels"/> in every direction (a square dilation): a hand-drawn mask often
    /// misses the anti-aliased rim of text or a scratch, which then shows as a ghost after repair.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative size.</exception>
    public HoleMap Grow(int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pixels);
        return pixels == 0 ? this : this with { Holes = Morphology.Dilate(Holes, Width, Height, pixels) };
    }

    /// <summary>The holes of both maps (a drawn mask and a detected one), with this map's source.</summary>
    /// <exception cref="ArgumentException">Maps of different sizes.</exception>
    public HoleMap Union(HoleMap other)
    {
        if (other.Width != Width || other.Height != Height)
            throw new ArgumentException($"the hole maps are {Width}x{Height} and {other.Width}x{other.Height}", nameof(other));
        var holes = new bool[Holes.Length];
        for (int i = 0; i < holes.Length; i++) holes[i] = Holes[i] | other.Holes[i];
        return this with { Holes = holes };
    }

    /// <summary>
    /// The holes as a mask image in the project's convention: white (255) where a hole is, black elsewhere, grey, the
    /// map's size (what <see cref="MaskRule.Read(Image{Rgba32}, int, int, MaskOptions)"/> reads back as this map). The caller disposes it.
    /// </summary>
    public Image<L8> ToMask()
    {
        var mask = new Image<L8>(Width, Height);
        for (int y = 0; y < Height; y++)
        {
            Span<L8> row = mask.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < Width; x++) row[x] = new L8(Holes[y * Width + x] ? (byte)255 : (byte)0);
        }
        return mask;
    }
}

/// <summary>How a mask image is read (the front ends' <c>--invert-mask</c>, <c>--resize-mask</c> and <c>--grow</c>).</summary>
/// <param name="Invert">Swap hole and known.</param>
/// <param name="Resize">Scale a mask of another size to the photo (nearest neighbour) instead of refusing it.</param>
/// <param name="Grow">Grow the holes by this many pixels (a square dilation).</param>
public sealed record MaskOptions(bool Invert = false, bool Resize = false, int Grow = 0);

/// <summary>A mask whose size is not the photo's (and resizing was not asked for). Front ends add how to ask for it.</summary>
public sealed class MaskSizeException(int maskWidth, int maskHeight, int photoWidth, int photoHeight)
    : IOException($"the mask is {maskWidth}x{maskHeight} but the photo is {photoWidth}x{photoHeight}")
{
    /// <summary>The mask's width.</summary>
    public int MaskWidth { get; } = maskWidth;

    /// <summary>The mask's height.</summary>
    public int MaskHeight { get; } = maskHeight;

    /// <summary>The photo's width.</summary>
    public int PhotoWidth { get; } = photoWidth;

    /// <summary>The photo's height.</summary>
    public int PhotoHeight { get; } = photoHeight;
}

/// <summary>
/// The mask convention (docs/design.md): a mask image the size of the photo; a pixel is a hole where its luminance
/// is &gt;= 128, or, if the mask has an alpha channel that is not fully opaque, where alpha &lt; 128. Inversion
/// flips the result; another size is an error unless nearest-neighbour resizing is asked for.
/// </summary>
public static class MaskRule
{
    /// <summary>Reads holes from a mask image for a photo of <paramref name="width"/> x <paramref name="height"/>, then grows them.</summary>
    /// <exception cref="MaskSizeException">The sizes differ and resizing was not asked for.</exception>
    public static HoleMap Read(Image<Rgba32> mask, int width, int height, MaskOptions options) =>
        Read(mask, width, height, options.Invert, options.Resize).Grow(options.Grow);

    /// <summary>Reads holes from a mask image.</summary>
    /// <exception cref="MaskSizeException">The sizes differ and <paramref name="resize"/> is false.</exception>
    public static HoleMap Read(Image<Rgba32> mask, int width, int height, bool invert = false, bool resize = false)
    {
        Image<Rgba32> source = mask;
        if (mask.Width != width || mask.Height != height)
        {
            if (!resize) throw new MaskSizeException(mask.Width, mask.Height, width, height);
            source = mask.Clone(c => c.Resize(width, height, KnownResamplers.NearestNeighbor));
        }
        try
        {
            bool useAlpha = false;
            for (int y = 0; y < height && !useAlpha; y++)
                foreach (Rgba32 p in source.DangerousGetPixelRowMemory(y).Span)
                    if (p.A != MaskConvention.Opaque) { useAlpha = true; break; }
            var holes = new bool[width * height];
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<Rgba32> row = source.DangerousGetPixelRowMemory(y).Span;
                for (int x = 0; x < width; x++)
                {
                    Rgba32 p = row[x];
                    bool hole = useAlpha ? p.A < MaskConvention.HoleAlphaBelow : MaskConvention.IsHole(p.R, p.G, p.B);
                    holes[y * width + x] = hole != invert;
                }
            }
            return new HoleMap(width, height, holes, useAlpha ? MaskSource.Alpha : MaskSource.Luminance);
        }
        finally
        {
            if (!ReferenceEquals(source, mask)) source.Dispose();
        }
    }
}
