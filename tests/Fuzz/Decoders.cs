using System.Security.Cryptography;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace Inpaint.Fuzz;

/// <summary>What a decoder made of a file.</summary>
internal enum Verdict { Accepted, Refused, Crashed }

/// <summary>The outcome and, when accepted, a hash of the RGBA pixels.</summary>
internal readonly record struct Outcome(Verdict Verdict, string Pixels, string Detail);

/// <summary>The three ways of reading a file that docs/reliability.md compares.</summary>
internal static class Decoders
{
    public static readonly string[] Names = ["imagesharp-2.1", "skia-2.88", "photofile"];

    private static readonly Configuration ImageSharpFour = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(), new WebpConfigurationModule(),
        new SixLabors.ImageSharp.Formats.Tiff.TiffConfigurationModule());

    public static Outcome Run(string decoder, byte[] bytes) => decoder switch
    {
        "imagesharp-2.1" => ImageSharp(bytes),
        "skia-2.88" => Skia(bytes),
        _ => PhotoFile(bytes),
    };

    /// <summary>
    /// The previous PhotoFile: Identify, then Load and AutoOrient. The exceptions it turned into exit 1 are
    /// "refused"; anything else reached the CLI as an internal error (exit 3): "crashed".
    /// </summary>
    private static Outcome ImageSharp(byte[] bytes)
    {
        try
        {
            using (var identify = new MemoryStream(bytes))
                if (Image.Identify(ImageSharpFour, identify, out var format) is null || format is null) return new(Verdict.Refused, "", "identify: null");
            using var stream = new MemoryStream(bytes);
            using Image<Rgba32> image = Image.Load<Rgba32>(ImageSharpFour, stream);
            image.Mutate(x => x.AutoOrient());
            return new(Verdict.Accepted, Hash(image), "");
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or UnknownImageFormatException or InvalidImageContentException)
        {
            return new(Verdict.Refused, "", e.GetType().Name);
        }
        catch (Exception e)
        {
            return new(Verdict.Crashed, "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Skia's codec alone: header, then every pixel; any result but Success is a refusal.</summary>
    private static Outcome Skia(byte[] bytes)
    {
        try
        {
            using SKData data = SKData.CreateCopy(bytes);
            using SKCodec? codec = SKCodec.Create(data);
            if (codec is null) return new(Verdict.Refused, "", "no codec");
            var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var pixels = new byte[info.BytesSize];
            var pin = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
            try
            {
                SKCodecResult result = codec.GetPixels(info, pin.AddrOfPinnedObject());
                return result == SKCodecResult.Success ? new(Verdict.Accepted, Convert.ToHexString(SHA256.HashData(pixels))[..16], "") : new(Verdict.Refused, "", result.ToString());
            }
            finally
            {
                pin.Free();
            }
        }
        catch (Exception e)
        {
            return new(Verdict.Crashed, "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The library as it is now: InvalidDataException is a refusal, anything else a crash.</summary>
    private static Outcome PhotoFile(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes);
            using Image<Rgba32> image = new PhotoFile().Read(stream, "fuzz");
            return new(Verdict.Accepted, Hash(image), "");
        }
        catch (InvalidDataException e)
        {
            return new(Verdict.Refused, "", e.Message);
        }
        catch (Exception e)
        {
            return new(Verdict.Crashed, "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    public static string Hash(Image<Rgba32> image)
    {
        var pixels = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(pixels);
        return $"{image.Width}x{image.Height}:{Convert.ToHexString(SHA256.HashData(pixels))[..16]}";
    }
}
