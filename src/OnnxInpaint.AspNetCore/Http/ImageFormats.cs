namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>An output format the repair endpoint answers in.</summary>
/// <param name="Name">Its name in the <c>format</c> field.</param>
/// <param name="Extension">The extension PhotoFile picks the encoder by.</param>
/// <param name="ContentType">The response's media type.</param>
internal sealed record OutputFormat(string Name, string Extension, string ContentType);

/// <summary>The formats the repair endpoint answers in.</summary>
internal static class ImageFormats
{
    public static readonly OutputFormat Png = new("png", ".png", "image/png");
    public static readonly OutputFormat Jpeg = new("jpeg", ".jpg", "image/jpeg");
    public static readonly OutputFormat Webp = new("webp", ".webp", "image/webp");
    public static readonly OutputFormat Bmp = new("bmp", ".bmp", "image/bmp");
    public static readonly OutputFormat Tiff = new("tiff", ".tif", "image/tiff");

    /// <summary>The names the <c>format</c> field takes.</summary>
    public const string Names = "png, jpeg, webp, bmp or tiff";

    /// <summary>Every content type an answer may have.</summary>
    public static readonly string[] ContentTypes = [Png.ContentType, Jpeg.ContentType, Webp.ContentType, Bmp.ContentType, Tiff.ContentType];

    /// <summary>The format a <c>format</c> field names; null for an unknown name.</summary>
    public static OutputFormat? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "png" => Png,
        "jpeg" or "jpg" => Jpeg,
        "webp" => Webp,
        "bmp" => Bmp,
        "tiff" or "tif" => Tiff,
        _ => null,
    };

    /// <summary>The form's <c>format</c> field; null when it has none.</summary>
    /// <exception cref="RequestProblem">400: a name that is not a format.</exception>
    public static OutputFormat? Field(IFormCollection form) => FormFields.Text(form, "format") is { } name
        ? Parse(name) ?? throw new RequestProblem(400, $"format must be {Names}; got '{FormFields.Shorten(name)}'")
        : null;

    /// <summary>The format of a decoded photo (<see cref="Imaging.Photo.Format"/>), which the answer keeps unless asked otherwise.</summary>
    public static OutputFormat Of(Imaging.Photo photo) => Parse(photo.Format) ?? Png;
}
