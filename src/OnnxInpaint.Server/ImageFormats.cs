using SkiaSharp;

namespace Inpaint.Server;

/// <summary>An output format the repair endpoint answers in.</summary>
/// <param name="Name">Its name in the <c>format</c> field.</param>
/// <param name="Extension">The extension PhotoFile picks the encoder by.</param>
/// <param name="ContentType">The response's media type.</param>
internal sealed record OutputFormat(string Name, string Extension, string ContentType);

/// <summary>Output formats, and what an upload's header says before it is decoded.</summary>
internal static class ImageFormats
{
    public static readonly OutputFormat Png = new("png", ".png", "image/png");
    public static readonly OutputFormat Jpeg = new("jpeg", ".jpg", "image/jpeg");
    public static readonly OutputFormat Webp = new("webp", ".webp", "image/webp");
    public static readonly OutputFormat Bmp = new("bmp", ".bmp", "image/bmp");

    /// <summary>The names the <c>format</c> field takes.</summary>
    public const string Names = "png, jpeg, webp or bmp";

    /// <summary>The format a <c>format</c> field names; null for an unknown name.</summary>
    public static OutputFormat? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "png" => Png,
        "jpeg" or "jpg" => Jpeg,
        "webp" => Webp,
        "bmp" => Bmp,
        _ => null,
    };

    /// <summary>
    /// The width and height an image's header declares, read by Skia without decoding pixels; null when Skia cannot
    /// read the header (PhotoFile then says what is wrong). Used only to tell "over the pixel limit" (413) from
    /// other bad input (400): the message itself is PhotoFile's, the CLI's.
    /// </summary>
    public static (int Width, int Height, OutputFormat Format)? ReadHeader(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        OutputFormat format = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => Jpeg,
            SKEncodedImageFormat.Webp => Webp,
            SKEncodedImageFormat.Bmp => Bmp,
            _ => Png,
        };
        return (codec.Info.Width, codec.Info.Height, format);
    }
}
