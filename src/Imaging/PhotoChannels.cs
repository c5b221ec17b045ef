using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Imaging;

/// <summary>The channels a photo had when it was read, which its repair is written with: grey in, grey out; RGB in, RGB out.</summary>
public enum PhotoChannels
{
    /// <summary>One grey channel (every pixel had equal red, green and blue, and no transparency).</summary>
    Grey,

    /// <summary>Red, green and blue, no transparency.</summary>
    Rgb,

    /// <summary>Red, green, blue and alpha: some pixel was not fully opaque.</summary>
    Rgba,
}

/// <summary>
/// Finds a decoded photo's channels and carries them with the image. The carrier is the image's PNG metadata (its colour
/// type), which ImageSharp keeps through clones and which <see cref="PhotoFile"/>'s encoders read for every format.
/// </summary>
public static class PhotoChannelsOf
{
    /// <summary>The fewest channels that hold <paramref name="image"/>'s pixels exactly.</summary>
    public static PhotoChannels Measure(Image<Rgba32> image)
    {
        bool grey = true;
        for (int y = 0; y < image.Height; y++)
        {
            foreach (Rgba32 p in image.DangerousGetPixelRowMemory(y).Span)
            {
                if (p.A != 255) return PhotoChannels.Rgba;
                grey &= p.R == p.G && p.G == p.B;
            }
        }
        return grey ? PhotoChannels.Grey : PhotoChannels.Rgb;
    }

    /// <summary>The fewest channels that hold a 16-bit <paramref name="image"/>'s samples exactly.</summary>
    public static PhotoChannels Measure(Image<Rgba64> image)
    {
        bool grey = true;
        for (int y = 0; y < image.Height; y++)
        {
            foreach (Rgba64 p in image.DangerousGetPixelRowMemory(y).Span)
            {
                if (p.A != ushort.MaxValue) return PhotoChannels.Rgba;
                grey &= p.R == p.G && p.G == p.B;
            }
        }
        return grey ? PhotoChannels.Grey : PhotoChannels.Rgb;
    }

    /// <summary>Records <paramref name="channels"/> on <paramref name="image"/> (8 bits a channel).</summary>
    public static void Record(Image image, PhotoChannels channels)
    {
        PngMetadata png = image.Metadata.GetPngMetadata();
        png.BitDepth = PngBitDepth.Bit8;
        png.ColorType = PngColorTypeOf(channels);
    }

    /// <summary>The PNG colour type that holds <paramref name="channels"/> (the inverse of <see cref="Recorded"/>).</summary>
    public static PngColorType PngColorTypeOf(PhotoChannels channels) => channels switch
    {
        PhotoChannels.Grey => PngColorType.Grayscale,
        PhotoChannels.Rgb => PngColorType.Rgb,
        _ => PngColorType.RgbWithAlpha,
    };

    /// <summary>The channels' word in messages: grey, RGB or RGBA.</summary>
    public static string Word(this PhotoChannels channels) => channels == PhotoChannels.Grey ? "grey" : channels.ToString().ToUpperInvariant();

    /// <summary>The channels recorded on <paramref name="image"/>; RGBA when none were (an image made in memory).</summary>
    public static PhotoChannels Recorded(Image image) => image.Metadata.GetPngMetadata().ColorType switch
    {
        PngColorType.Grayscale => PhotoChannels.Grey,
        PngColorType.Rgb => PhotoChannels.Rgb,
        _ => PhotoChannels.Rgba,
    };
}
