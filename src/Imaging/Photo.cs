using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Imaging;

/// <summary>
/// A decoded photo: the 8-bit pixels a repair works on (<see cref="Pixels"/>), and what is needed to write the repair back
/// the way the file was (<see cref="PhotoFile.Write(Image{Rgba32}, Photo, string)"/>): its channels, its bit depth and,
/// for a 16-bit file, its own 16-bit samples, which every known pixel of the repair gets back exactly.
/// </summary>
/// <remarks>The photo owns both images; disposing it disposes them. <see cref="PhotoFile.Open(string)"/> makes one.</remarks>
public sealed class Photo : IDisposable
{
    private Image<Rgba32>? pixels;

    internal Photo(Image<Rgba32> pixels, PhotoChannels channels, string format, Image<Rgba64>? deep, TiffStorage storage)
    {
        this.pixels = pixels;
        Channels = channels;
        Format = format;
        Deep = deep;
        Storage = storage;
    }

    /// <summary>The photo at 8 bits a sample, upright, as straight RGBA (what repairs take). Owned by the photo.</summary>
    /// <exception cref="ObjectDisposedException">The photo was disposed.</exception>
    public Image<Rgba32> Pixels => pixels ?? throw new ObjectDisposedException(nameof(Photo));

    /// <summary>Width, upright.</summary>
    public int Width => Pixels.Width;

    /// <summary>Height, upright.</summary>
    public int Height => Pixels.Height;

    /// <summary>The channels the file had (grey, RGB or RGBA), which outputs are written with.</summary>
    public PhotoChannels Channels { get; }

    /// <summary>8, or 16 for a 16-bit PNG or TIFF, which PNG and TIFF outputs keep.</summary>
    public int BitsPerSample => Deep is null ? 8 : 16;

    /// <summary>The file's format: PNG, JPEG, BMP, WebP or TIFF.</summary>
    public string Format { get; }

    /// <summary>The 16-bit samples, upright; null for an 8-bit file.</summary>
    internal Image<Rgba64>? Deep { get; private set; }

    /// <summary>How a TIFF output stores its strips: as the TIFF read did (uncompressed stays uncompressed), else Deflate.</summary>
    internal TiffStorage Storage { get; }

    /// <summary>Hands <see cref="Pixels"/> to the caller (who disposes it) and lets the rest go.</summary>
    internal Image<Rgba32> TakePixels()
    {
        Image<Rgba32> taken = Pixels;
        pixels = null;
        Dispose();
        return taken;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        pixels?.Dispose();
        pixels = null;
        Deep?.Dispose();
        Deep = null;
    }
}
