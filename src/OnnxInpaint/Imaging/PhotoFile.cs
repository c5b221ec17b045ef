using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.OnnxInpaint.Imaging;

/// <summary>
/// Reads and writes photos, treating input files as untrusted: only PNG, JPEG, BMP and WebP decoders exist,
/// the header is identified and the pixel count checked before any pixel is decoded, EXIF orientation is
/// applied. Output format follows the file extension; metadata (EXIF, ICC profile) is kept where the format
/// carries it; files are written to a temporary name and renamed.
/// </summary>
public sealed class PhotoFile
{
    /// <summary>Extensions read and written.</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp" };

    private readonly Configuration configuration = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(), new WebpConfigurationModule());

    /// <summary>Creates a reader with the given pixel limit (width x height).</summary>
    public PhotoFile(long maxPixels = 100_000_000) => MaxPixels = maxPixels;

    /// <summary>The largest width x height accepted.</summary>
    public long MaxPixels { get; }

    /// <summary>JPEG quality for outputs (1..100).</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Decodes an 8-bit RGBA image, upright.</summary>
    /// <exception cref="InvalidDataException">Unknown format, damaged file, or over the pixel limit.</exception>
    public Image<Rgba32> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist", path);
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Decodes from a stream (which must be seekable or is buffered).</summary>
    public Image<Rgba32> Read(Stream stream, string name = "image")
    {
        Stream seekable = stream.CanSeek ? stream : Buffer(stream);
        long start = seekable.Position;
        IImageInfo? info;
        try
        {
            info = Image.Identify(configuration, seekable, out IImageFormat? format);
            if (info is null || format is null) throw new InvalidDataException($"'{name}' is not a readable PNG, JPEG, BMP or WebP image");
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or UnknownImageFormatException)
        {
            throw new InvalidDataException($"'{name}' is not a readable PNG, JPEG, BMP or WebP image ({e.Message})");
        }
        if ((long)info.Width * info.Height > MaxPixels)
            throw new InvalidDataException($"'{name}' is {info.Width}x{info.Height}, above the limit of {MaxPixels:N0} pixels");
        seekable.Position = start;
        try
        {
            Image<Rgba32> image = Image.Load<Rgba32>(configuration, seekable);
            image.Mutate(x => x.AutoOrient());
            return image;
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or UnknownImageFormatException or InvalidImageContentException)
        {
            throw new InvalidDataException($"'{name}' is damaged: {e.Message}");
        }
    }

    /// <summary>Writes the image in the format its extension names, atomically (temporary file, then rename).</summary>
    /// <exception cref="InvalidDataException">An extension with no encoder here.</exception>
    public void Write(Image image, string path)
    {
        IImageEncoder encoder = EncoderFor(path);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                image.Save(stream, encoder);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>The encoder for a path's extension.</summary>
    public IImageEncoder EncoderFor(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => new PngEncoder(),
        ".jpg" or ".jpeg" => new JpegEncoder { Quality = JpegQuality },
        ".bmp" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 },
        ".webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        string ext => throw new InvalidDataException($"cannot write '{ext}' files (use .png, .jpg, .bmp or .webp)"),
    };

    private static MemoryStream Buffer(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
