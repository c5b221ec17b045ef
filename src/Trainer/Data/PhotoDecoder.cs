using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Trainer.Data;

/// <summary>
/// Decodes training photos, treating files as untrusted: only PNG, JPEG, BMP and WebP are known to the
/// decoder, the dimensions are read from the header and checked against a pixel limit before any pixel is
/// decoded, and EXIF orientation is applied.
/// </summary>
public sealed class PhotoDecoder
{
    /// <summary>File extensions the trainer looks for.</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp" };

    private readonly Configuration configuration;

    /// <summary>Creates a decoder refusing images above <paramref name="maxPixels"/>.</summary>
    public PhotoDecoder(long maxPixels = 100_000_000)
    {
        MaxPixels = maxPixels;
        configuration = new Configuration(
            new PngConfigurationModule(), new JpegConfigurationModule(),
            new BmpConfigurationModule(), new WebpConfigurationModule());
    }

    /// <summary>The largest width x height accepted.</summary>
    public long MaxPixels { get; }

    /// <summary>Reads the size and format from the header only.</summary>
    /// <exception cref="InvalidDataException">Unknown format, unreadable header or too many pixels.</exception>
    public (int Width, int Height, string Format) Identify(string path)
    {
        using FileStream stream = File.OpenRead(path);
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(configuration, stream, out format);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or UnknownImageFormatException)
        {
            throw new InvalidDataException($"cannot read the image header: {e.Message}");
        }
        if (info is null || format is null) throw new InvalidDataException("not a PNG, JPEG, BMP or WebP image");
        (int w, int h) = Oriented(info);
        if ((long)w * h > MaxPixels) throw new InvalidDataException($"{w}x{h} exceeds the limit of {MaxPixels:N0} pixels");
        return (w, h, format.Name);
    }

    /// <summary>Decodes the photo as 8-bit RGB, upright.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable image within the limits.</exception>
    public Image<Rgb24> Decode(string path)
    {
        Identify(path);
        try
        {
            using FileStream stream = File.OpenRead(path);
            Image<Rgb24> image = Image.Load<Rgb24>(configuration, stream);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or UnknownImageFormatException or InvalidImageContentException)
        {
            throw new InvalidDataException($"cannot decode the image: {e.Message}");
        }
    }

    private static (int Width, int Height) Oriented(IImageInfo info)
    {
        // EXIF orientations 5..8 swap width and height.
        var orientation = info.Metadata.ExifProfile?.GetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation);
        return orientation is { Value: >= 5 and <= 8 } ? (info.Height, info.Width) : (info.Width, info.Height);
    }
}
