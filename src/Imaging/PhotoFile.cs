using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
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
/// <param name="Format">PNG, JPEG, BMP, WebP or TIFF.</param>
public sealed record PhotoInfo(int Width, int Height, string Format);

/// <summary>
/// Reads and writes photos, treating input files as untrusted: only PNG, JPEG, BMP, WebP and TIFF (recognised by their
/// first bytes), the size read from the header and checked against <see cref="MaxPixels"/> before any pixel is
/// decoded, every pixel decoded or the file refused as damaged or truncated (never a partly filled image), EXIF
/// orientation applied. Output format follows the file extension, with the input's channels and, in PNG and TIFF, its
/// bit depth (<see cref="Photo"/>); metadata (EXIF, ICC profile) is kept where the format carries it; files are written
/// to a temporary name in the output's folder and renamed.
/// </summary>
public sealed class PhotoFile
{
    /// <summary>Extensions read and written.</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff" };

    /// <summary>The extensions written, as messages list them.</summary>
    public const string ExtensionNames = ".png, .jpg, .bmp, .webp or .tif";

    // ImageSharp identifies metadata, decodes TIFF and 16-bit PNG, and encodes; contiguous buffers let Skia decode
    // into an image's memory.
    private readonly Configuration configuration = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(), new WebpConfigurationModule(),
        new TiffConfigurationModule())
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

    /// <summary>Decodes a photo with what writing its repair back needs (<see cref="Photo"/>): channels, bit depth, 16-bit samples.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Unknown format, damaged or truncated file, or over the pixel limit; the message names the file.</exception>
    public Photo Open(string path) => Decode(ReadBytes(path), path);

    /// <summary>Decodes a photo from a stream, read to its end first.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Open(string)"/>; the message names <paramref name="name"/>.</exception>
    public Photo Open(Stream stream, string name = "image")
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Decode(copy.ToArray(), name);
    }

    /// <summary>Decodes an 8-bit RGBA image, upright (16-bit files rounded to 8 bits).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Unknown format, damaged or truncated file, or over the pixel limit; the message names the file.</exception>
    public Image<Rgba32> Read(string path) => Open(path).TakePixels();

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
    public Image<Rgba32> Read(Stream stream, string name = "image") => Open(stream, name).TakePixels();

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
        return new PhotoInfo(swapped ? header.Height : header.Width, swapped ? header.Width : header.Height, Name(header.Kind));
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

    /// <summary>
    /// A file's checked header: its format, its size in the file, the metadata ImageSharp read and, for the formats Skia
    /// decodes, Skia's codec (owned). Without one (TIFF, 16-bit PNG) ImageSharp decodes the pixels, at 16 bits.
    /// </summary>
    private sealed record Header(ImageKind Kind, int Width, int Height, ImageMetadata Metadata, SkiaPixelDecoder? Skia) : IDisposable
    {
        public void Dispose() => Skia?.Dispose();
    }

    /// <summary>
    /// The order matters: the signature picks one of the five formats; the header is read (Skia's, or ImageSharp's for
    /// TIFF, whose layout is checked first) and the size checked against the limit; ImageSharp reads the metadata (EXIF,
    /// ICC; no pixels). Any failure of the decoders on these bytes is the file's fault, reported as damaged with the
    /// file's name.
    /// </summary>
    private Header ReadHeader(byte[] bytes, string name)
    {
        ImageKind kind = ImageSignature.Detect(bytes);
        if (kind == ImageKind.Unknown)
            throw new InvalidDataException(bytes.Length == 0
                ? $"'{name}' is empty"
                : $"'{name}' is not a PNG, JPEG, BMP, WebP or TIFF image");
        if (kind == ImageKind.Tiff) return ReadTiffHeader(bytes, name);
        SkiaPixelDecoder? decoder = Guard(name, kind, () => SkiaPixelDecoder.Open(bytes));
        try
        {
            if (decoder is null || !Matches(kind, decoder.Format))
                throw Damaged(name, kind, "its header cannot be read");
            CheckSize(name, kind, decoder.Width, decoder.Height);
            if (ImageSignature.MissingEnd(kind, bytes) is { } missing) throw Damaged(name, kind, missing);
            ImageMetadata metadata = Guard(name, kind, () => ReadMetadata(bytes));
            if (kind == ImageKind.Png && metadata.IccProfile is null && PngColorProfile.Read(bytes) is { } profile)
                metadata.IccProfile = new IccProfile(profile);
            bool deep = kind == ImageKind.Png && metadata.GetPngMetadata().BitDepth == PngBitDepth.Bit16;
            var header = new Header(kind, decoder.Width, decoder.Height, metadata, deep ? null : decoder);
            if (deep) decoder.Dispose();
            return header;
        }
        catch
        {
            decoder?.Dispose();
            throw;
        }
    }

    private Header ReadTiffHeader(byte[] bytes, string name)
    {
        if (ImageSignature.MissingEnd(ImageKind.Tiff, bytes) is { } missing) throw Damaged(name, ImageKind.Tiff, missing);
        IImageInfo info = Guard(name, ImageKind.Tiff, () => Identify(bytes)) ?? throw Damaged(name, ImageKind.Tiff, "its header cannot be read");
        CheckSize(name, ImageKind.Tiff, info.Width, info.Height);
        return new Header(ImageKind.Tiff, info.Width, info.Height, info.Metadata, null);
    }

    private void CheckSize(string name, ImageKind kind, int width, int height)
    {
        if (width <= 0 || height <= 0) throw Damaged(name, kind, $"it declares {width}x{height} pixels");
        if ((long)width * height > MaxPixels) throw new ImageTooLargeException(name, width, height, MaxPixels);
        if ((long)width * height > int.MaxValue)
            throw new InvalidDataException($"'{name}' is {width}x{height}, more pixels than one image can hold here");
    }

    /// <summary>Checks the header (<see cref="ReadHeader"/>), then decodes the pixels: 8-bit ones with Skia, which says when data is missing or bad; the rest with ImageSharp.</summary>
    private Photo Decode(byte[] bytes, string name)
    {
        using Header header = ReadHeader(bytes, name);
        Photo photo = header.Skia is null ? DecodeDeep(bytes, name, header) : DecodeWithSkia(name, header);
        if (photo.Pixels.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value is not (null or ExifOrientationMode.TopLeft))
        {
            photo.Pixels.Mutate(x => x.AutoOrient());
            photo.Deep?.Mutate(x => x.AutoOrient());
            photo.Pixels.Metadata.ExifProfile!.SetValue(ExifTag.Orientation, ExifOrientationMode.TopLeft);
        }
        return photo;
    }

    private Photo DecodeWithSkia(string name, Header header)
    {
        (SKCodecResult result, Image<Rgba32>? image) = Guard(name, header.Kind, () => (header.Skia!.Decode(configuration, out Image<Rgba32>? pixels), pixels));
        if (result != SKCodecResult.Success || image is null)
            throw Damaged(name, header.Kind, result switch
            {
                SKCodecResult.IncompleteInput => "the data ends before the last pixel",
                SKCodecResult.ErrorInInput => "its pixel data is corrupt",
                _ => $"its pixels cannot be decoded ({result})",
            });
        CopyMetadata(header.Metadata, image.Metadata);
        PhotoChannels channels = PhotoChannelsOf.Measure(image);
        PhotoChannelsOf.Record(image, channels); // written back with the same channels
        return new Photo(image, channels, Name(header.Kind), deep: null, TiffStorage.Deflate);
    }

    /// <summary>TIFF and 16-bit PNG, decoded at 16 bits; the 16-bit samples are kept only when the file had them.</summary>
    private Photo DecodeDeep(byte[] bytes, string name, Header header)
    {
        Image<Rgba64> deep = Guard(name, header.Kind, () => Image.Load<Rgba64>(configuration, new MemoryStream(bytes, writable: false)));
        try
        {
            ImageFrameMetadata frame = deep.Frames.RootFrame.Metadata;
            TiffFrameMetadata tiff = frame.GetTiffMetadata();
            bool sixteen = header.Kind == ImageKind.Png || tiff.BitsPerSample?.Channel0 > 8;
            Image<Rgba32> pixels = DeepPixels.To8(deep, configuration);
            CopyMetadata(header.Metadata, pixels.Metadata);
            pixels.Metadata.IccProfile ??= frame.IccProfile?.DeepClone();
            if (header.Kind == ImageKind.Tiff) pixels.Metadata.ExifProfile = TiffExif.Describing(frame.ExifProfile ?? header.Metadata.ExifProfile);
            PhotoChannels channels = PhotoChannelsOf.Measure(deep);
            PhotoChannelsOf.Record(pixels, channels);
            TiffStorage storage = header.Kind == ImageKind.Tiff && tiff.Compression == SixLabors.ImageSharp.Formats.Tiff.Constants.TiffCompression.None
                ? TiffStorage.Uncompressed : TiffStorage.Deflate;
            if (!sixteen) deep.Dispose();
            return new Photo(pixels, channels, Name(header.Kind), sixteen ? deep : null, storage);
        }
        catch
        {
            deep.Dispose();
            throw;
        }
    }

    private IImageInfo? Identify(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Image.Identify(configuration, stream);
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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One line: decoder messages sometimes span several.
            string why = string.Join(' ', e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            throw Damaged(name, kind, why, e);
        }
    }

    /// <summary>
    /// Writes the image in the format its extension names, with the channels it was read with (<see cref="PhotoChannels"/>:
    /// grey, RGB or RGBA) at 8 bits, atomically (<see cref="AtomicFile"/>): an existing file at <paramref name="path"/> is
    /// replaced only by a complete one.
    /// </summary>
    /// <exception cref="InvalidDataException">An extension with no encoder here.</exception>
    /// <exception cref="IOException">The file cannot be written (disk full, read-only, no permission...); the message names <paramref name="path"/>, not the temporary file.</exception>
    public void Write(Image image, string path)
    {
        IImageEncoder encoder = EncoderFor(path, PhotoChannelsOf.Recorded(image));
        AtomicFile.Write(path, stream => image.Save(stream, encoder));
    }

    /// <summary>
    /// Writes a repair of <paramref name="source"/> as <see cref="Write(Image, string)"/> does, with the source's channels
    /// and, in PNG and TIFF, its bit depth: a 16-bit photo's known pixels keep their 16-bit values (<see cref="Photo"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">An extension with no encoder here.</exception>
    /// <exception cref="IOException">As <see cref="Write(Image, string)"/>.</exception>
    public void Write(Image<Rgba32> repaired, Photo source, string path)
    {
        string extension = Path.GetExtension(path);
        EncoderFor(extension, source.Channels); // an unknown extension is refused before any file is made
        AtomicFile.Write(path, stream => Save(repaired, source, stream, extension));
    }

    /// <summary>Encodes a repair of <paramref name="source"/> into <paramref name="stream"/> in the format <paramref name="extension"/> names, as <see cref="Write(Image{Rgba32}, Photo, string)"/> writes it.</summary>
    /// <exception cref="InvalidDataException">An extension with no encoder here.</exception>
    public void Save(Image<Rgba32> repaired, Photo source, Stream stream, string extension)
    {
        string ext = extension.ToLowerInvariant();
        bool sixteen = source.Deep is not null && ext is ".png" or ".tif" or ".tiff";
        IImageEncoder encoder = EncoderFor(ext, source.Channels, sixteen ? 16 : 8, source.Storage);
        if (!sixteen)
        {
            repaired.Save(stream, encoder);
            return;
        }
        using Image<Rgba64> restored = DeepPixels.Restore(repaired, source.Deep!);
        CopyMetadata(repaired.Metadata, restored.Metadata);
        restored.Save(stream, encoder);
    }

    /// <summary>Removes the temporary files that writes of killed processes left in <paramref name="folder"/> (<see cref="AtomicFile.RemoveStale"/>).</summary>
    public static int RemoveStaleTemporaryFiles(string folder) => AtomicFile.RemoveStale(folder);

    /// <summary>
    /// The 8-bit encoder for a path's extension that writes <paramref name="channels"/> (grey as one channel in PNG,
    /// JPEG and TIFF; BMP and WebP have no grey form that keeps every value, so grey is written as RGB there).
    /// </summary>
    /// <exception cref="InvalidDataException">An extension with no encoder here.</exception>
    public IImageEncoder EncoderFor(string path, PhotoChannels channels) => EncoderFor(Path.GetExtension(path), channels, 8, TiffStorage.Deflate);

    private IImageEncoder EncoderFor(string extension, PhotoChannels channels, int bitsPerSample, TiffStorage storage) => extension.ToLowerInvariant() switch
    {
        ".png" => new ProfilePngEncoder(new PngEncoder
        {
            BitDepth = bitsPerSample == 16 ? PngBitDepth.Bit16 : PngBitDepth.Bit8,
            ColorType = PhotoChannelsOf.PngColorTypeOf(channels),
        }),
        ".jpg" or ".jpeg" => new JpegEncoder { Quality = JpegQuality, ColorType = channels == PhotoChannels.Grey ? JpegColorType.Luminance : null },
        // Alpha in a BMP is only defined with a V4/V5 header and an alpha mask; a plain 32-bit BMP reads back opaque.
        ".bmp" => channels == PhotoChannels.Rgba
            ? new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32, SupportTransparency = true }
            : new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        // Lossless WebP may otherwise rewrite the colour of fully transparent pixels to compress better.
        ".webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless, TransparentColorMode = WebpTransparentColorMode.Preserve },
        ".tif" or ".tiff" => new TiffPhotoEncoder(channels, bitsPerSample, storage),
        string ext => throw new InvalidDataException($"cannot write '{ext}' files (use {ExtensionNames})"),
    };
}
