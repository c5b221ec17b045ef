using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace Inpaint.Imaging;

/// <summary>
/// Decodes pixels with Skia's codecs (libpng, libjpeg-turbo, libwebp and Skia's BMP reader), which report a file
/// that ends early (<see cref="SKCodecResult.IncompleteInput"/>) or holds bad data (<see cref="SKCodecResult.ErrorInInput"/>)
/// instead of filling the missing rows. ImageSharp 2.1 does fill them silently; docs/reliability.md has the
/// comparison on the same corpus.
/// </summary>
internal sealed class SkiaPixelDecoder : IDisposable
{
    private readonly SKData data;
    private readonly SKCodec codec;

    private SkiaPixelDecoder(SKData data, SKCodec codec)
    {
        this.data = data;
        this.codec = codec;
    }

    /// <summary>Width in the file (before any EXIF orientation).</summary>
    public int Width => codec.Info.Width;

    /// <summary>Height in the file.</summary>
    public int Height => codec.Info.Height;

    /// <summary>The format Skia recognised.</summary>
    public SKEncodedImageFormat Format => codec.EncodedFormat;

    /// <summary>Reads the header only; null when Skia cannot make sense of it.</summary>
    public static SkiaPixelDecoder? Open(byte[] bytes)
    {
        SKData data = SKData.CreateCopy(bytes);
        SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            data.Dispose();
            return null;
        }
        return new SkiaPixelDecoder(data, codec);
    }

    /// <summary>
    /// Decodes every pixel as straight (not premultiplied) 8-bit RGBA, with no colour-space conversion, so known
    /// pixels keep their exact values. Returns the codec's result and, on success only, the image.
    /// </summary>
    /// <param name="configuration">Must prefer contiguous buffers: the pixels are decoded straight into the image's one buffer.</param>
    /// <param name="image">The decoded image, owned by the caller; null unless the result is Success.</param>
    public unsafe SKCodecResult Decode(Configuration configuration, out Image<Rgba32>? image)
    {
        image = null;
        int width = Width, height = Height;
        // One copy of the pixels, 4 bytes each, in an ordinary (owned, resizable) image.
        var decoded = new Image<Rgba32>(configuration, width, height);
        try
        {
            if (!decoded.DangerousTryGetSinglePixelMemory(out Memory<Rgba32> memory))
                throw new InvalidOperationException("the image configuration does not give contiguous pixel buffers");
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            SKCodecResult result;
            using (MemoryHandle pin = memory.Pin())
                result = codec.GetPixels(info, (IntPtr)pin.Pointer, width * 4, new SKCodecOptions(SKZeroInitialized.No));
            if (result == SKCodecResult.Success)
            {
                image = decoded;
                decoded = null;
            }
            return result;
        }
        finally
        {
            decoded?.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        codec.Dispose();
        data.Dispose();
    }
}
