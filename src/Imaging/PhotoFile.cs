using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace Inpaint.Imaging;

/// <summary>An image with more pixels than the reader's limit, refused from its header before any pixel was decoded.</summary>
public sealed class ImageTooLargeException(string name, int width, int height, long limit)
    : IOException($"'{name}' is {width}x{height}, above the limit of {limit:N0} pixels")
{
    /// <summary>The image's width in the file.</summary>
    public int Width { get; } = width;

    /// <summary>The image's height in the file.</summary>
    public int Height { get; } = height;

    /// <summary>The limit it is above.</summary>
    public long Limit { get; } = limit;
}

/// <summary>What a photo's header says.</summary>
/// <param name="Width">Width, upright (after the EXIF orientation).</param>
/// <param name="Height">Height, upright.</param>
/// <param name="Format">PNG, JPEG, BMP or WebP.</param>
public sealed record PhotoInfo(int Width, int Height, string Format);

/// <summary>
/// Reads and writes photos, treating input files as untrusted: only PNG, JPEG, BMP and WebP (recognised by their
/// first bytes), the size read from the header and checked against <see cref="MaxPixels"/> before any pixel is
/// decoded, every pixel decoded or the file refused as damaged or truncated (never a partly filled image), EXIF
/// orientation applied. Output format follows the file extension; metadata (EXIF, ICC profile) is kept where the
/// format carries it; files are written to a temporary name in the output's folder and renamed.
/// </summary>
public sealed class PhotoFile
{
    /// <summary>Extensions read and written.</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp" };

    // ImageSharp identifies metadata and encodes; contiguous buffers let Skia decode into an image's memory.
    private readonly Configuration configuration = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(), new WebpConfigurationModule())
    {
        PreferContiguousImageBuffers = true,
    };

    /// <summary>The pixel limit of a reader created without one: 100 million (a 12 MP photo is far below it).</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>The JPEG quality of outputs unless set.</summary>
    public const int DefaultJpegQuality = 95;

    /// <summary>Creates a reader with the given pixel limit (width x height).</summary>
    public PhotoFile(long maxPixels = DefaultMaxPixels) => MaxPixels = maxPixels;

    /// <summary>The largest width x height accepted.</summary>
    public long MaxPixels { get; }

    /// <summary>JPEG quality for outputs (1..100).</summary>
    public int JpegQuality { get; init; } = DefaultJpegQuality;

    /// <summary>Decodes an 8-bit RGBA image, upright.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Unknown format, damaged or truncated file, or over the pixel limit; the message names the file.</exception>
    public Image<Rgba32> Read(string path) => Decode(ReadBytes(path), path);

    /// <summary>Decodes an 8-bit RGB image, upright, alpha dropped (what training and verification read).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Read(string)"/>.</exception>
    public Image<Rgb24> ReadRgb(string path)
    {
        using Image<Rgba32> image = Read(path);
        return image.CloneAs<Rgb24>();
    }

    /// <summary>Decodes from a stream, read to its end first.</summary>
    /// <exception cref="InvalidDataException">Unknown format, damaged or truncated data, or over the pixel limit.</exception>
    public Image<Rgba32> Read(Stream stream, string name = "image")
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Decode(copy.ToArray(), name);
    }

    /// <summary>
    /// What a photo's header says (its upright size and its format), with the same checks as <see cref="Read(string)"/>
    /// short of decoding pixels: a file that passes may still be refused by <see cref="Read(string)"/> as truncated.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Unknown format, unreadable header, or over the pixel limit; the message names the file.</exception>
    public PhotoInfo Identify(string path)
    {
        byte[] bytes = ReadBytes(path);
        using Header header = ReadHeader(bytes, path);
        bool swapped = header.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value is >= 5 and <= 8;
        return new PhotoInfo(swapped ? header.Decoder.Height : header.Decoder.Width, swapped ? header.Decoder.Width : header.Decoder.Height, Name(header.Kind));
    }

    private static byte[] ReadBytes(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"'{path}' is a folder, not an image file");
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist", path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read '{path}': {e.Message}", e);
        }
    }

    /// <summary>A file's checked header: its format, Skia's codec (owned) and the metadata ImageSharp read.</summary>
    private sealed record Header(ImageKind Kind, SkiaPixelDecoder Decoder, ImageMetadata Metadata) : IDisposable
    {
        public void Dispose() => Decoder.Dispose();
    }

    /// <summary>
    /// The order matters: the signature picks one of the four formats; Skia reads the header, and the size is
    /// checked against the limit; ImageSharp reads the metadata (EXIF, ICC; no pixels). Any failure of the decoders
    /// on these bytes is the file's fault, reported as damaged with the file's name.
    /// </summary>
    private Header ReadHeader(byte[] bytes, string name)
    {
        ImageKind kind = ImageSignature.Detect(bytes);
        if (kind == ImageKind.Unknown)
            throw new InvalidDataException(bytes.Length == 0
                ? $"'{name}' is empty"
                : $"'{name}' is not a PNG, JPEG, BMP or WebP image");
        SkiaPixelDecoder? decoder = Guard(name, kind, () => SkiaPixelDecoder.Open(bytes));
        try
        {
            if (decoder is null || !Matches(kind, decoder.Format))
                throw Damaged(name, kind, "its header cannot be read");
            if (decoder.Width <= 0 || decoder.Height <= 0) throw Damaged(name, kind, $"it declares {decoder.Width}x{decoder.Height} pixels");
            if ((long)decoder.Width * decoder.Height > MaxPixels) throw new ImageTooLargeException(name, decoder.Width, decoder.Height, MaxPixels);
            if ((long)decoder.Width * decoder.Height > int.MaxValue)
                throw new InvalidDataException($"'{name}' is {decoder.Width}x{decoder.Height}, more pixels than one image can hold here");
            if (ImageSignature.MissingEnd(kind, bytes) is { } missing) throw Damaged(name, kind, missing);
            ImageMetadata metadata = Guard(name, kind, () => ReadMetadata(bytes));
            return new Header(kind, decoder, metadata);
        }
        catch
        {
            decoder?.Dispose();
            throw;
        }
    }

    /// <summary>Checks the header (<see cref="ReadHeader"/>), then decodes the pixels with Skia, which says when data is missing or bad.</summary>
    private Image<Rgba32> Decode(byte[] bytes, string name)
    {
        using Header header = ReadHeader(bytes, name);
        (SKCodecResult result, Image<Rgba32>? image) = Guard(name, header.Kind, () => (header.Decoder.Decode(configuration, out Image<Rgba32>? pixels), pixels));
        if (result != SKCodecResult.Success || image is null)
            throw Damaged(name, header.Kind, result switch
            {
                SKCodecResult.IncompleteInput => "the data ends before the last pixel",
                SKCodecResult.ErrorInInput => "its pixel data is corrupt",
                _ => $"its pixels cannot be decoded ({result})",
            });
        CopyMetadata(header.Metadata, image.Metadata);
        PhotoChannelsOf.Record(image, PhotoChannelsOf.Measure(image)); // written back with the same channels
        if (image.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value is not (null or ExifOrientationMode.TopLeft))
        {
            image.Mutate(x => x.AutoOrient());
            image.Metadata.ExifProfile!.SetValue(ExifTag.Orientation, ExifOrientationMode.TopLeft);
        }
        return image;
    }

    private ImageMetadata ReadMetadata(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Image.Identify(configuration, stream)?.Metadata ?? new ImageMetadata();
    }

    private static void CopyMetadata(ImageMetadata from, ImageMetadata to)
    {
        to.ExifProfile = from.ExifProfile?.DeepClone();
        to.IccProfile = from.IccProfile?.DeepClone();
        to.IptcProfile = from.IptcProfile?.DeepClone();
        to.XmpProfile = from.XmpProfile?.DeepClone();
        to.HorizontalResolution = from.HorizontalResolution;
        to.VerticalResolution = from.VerticalResolution;
        to.ResolutionUnits = from.ResolutionUnits;
    }

    private static bool Matches(ImageKind kind, SKEncodedImageFormat format) => (kind, format) switch
    {
        (ImageKind.Png, SKEncodedImageFormat.Png) or (ImageKind.Jpeg, SKEncodedImageFormat.Jpeg)
            or (ImageKind.Bmp, SKEncodedImageFormat.Bmp) or (ImageKind.Webp, SKEncodedImageFormat.Webp) => true,
        _ => false,
    };

    private static InvalidDataException Damaged(string name, ImageKind kind, string why, Exception? inner = null) =>
        new($"'{name}' is a damaged or truncated {Name(kind)} file: {why}", inner);

    private static string Name(ImageKind kind) => kind == ImageKind.Webp ? "WebP" : kind.ToString().ToUpperInvariant();

    /// <summary>Runs a decoder step; whatever a third-party decoder throws on these bytes means the file is damaged.</summary>
    private static T Guard<T>(string name, ImageKind kind, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InvalidDataException))
        {
            // One line: decoder messages sometimes span several.
            string why = string.Join(' ', e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            throw Damaged(name, kind, why, e);
        }
    }

    /// <summary>
    /// Writes the image in the format its extension names, with the channels it was read with (<see cref="PhotoChannels"/>:
    /// grey, RGB or RGBA), atomically (<see cref="AtomicFile"/>): an existing file at <paramref name="path"/> is replaced
    /// only by a complete one.
    /// </summary>
    /// <exception cref="InvalidDataException">An extension with no encoder here.</exception>
    /// <exception cref="IOException">The file cannot be written (disk full, read-only, no permission...); the message names <paramref name="path"/>, not the temporary file.</exception>
    public void Write(Image image, string path)
    {
        IImageEncoder encoder = EncoderFor(path, PhotoChannelsOf.Recorded(image));
        AtomicFile.Write(path, stream => image.Save(stream, encoder));
    }

    /// <summary>Removes the temporary files that writes of killed processes left in <paramref name="folder"/> (<see cref="AtomicFile.RemoveStale"/>).</summary>
    public static int RemoveStaleTemporaryFiles(string folder) => AtomicFile.RemoveStale(folder);

    /// <summary>
    /// The encoder for a path's extension that writes <paramref name="channels"/> (grey as one channel in PNG and JPEG;
    /// BMP and WebP have no grey form that keeps every value, so grey is written as RGB there).
    /// </summary>
    public IImageEncoder EncoderFor(string path, PhotoChannels channels) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => new PngEncoder
        {
            BitDepth = PngBitDepth.Bit8,
            ColorType = PhotoChannelsOf.PngColorTypeOf(channels),
        },
        ".jpg" or ".jpeg" => new JpegEncoder { Quality = JpegQuality, ColorType = channels == PhotoChannels.Grey ? JpegColorType.Luminance : null },
        // Alpha in a BMP is only defined with a V4/V5 header and an alpha mask; a plain 32-bit BMP reads back opaque.
        ".bmp" => channels == PhotoChannels.Rgba
            ? new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32, SupportTransparency = true }
            : new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        // Lossless WebP may otherwise rewrite the colour of fully transparent pixels to compress better.
        ".webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless, TransparentColorMode = WebpTransparentColorMode.Preserve },
        string ext => throw new InvalidDataException($"cannot write '{ext}' files (use .png, .jpg, .bmp or .webp)"),
    };

}
