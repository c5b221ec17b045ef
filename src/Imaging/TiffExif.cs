using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Inpaint.Imaging;

/// <summary>
/// The EXIF fields a TIFF keeps in its own directory, read and written: the descriptive ones (description, make, model,
/// software, date, artist, copyright) and the orientation. The camera's settings, which live in an EXIF sub-directory,
/// are not carried into or out of TIFF files.
/// </summary>
internal static class TiffExif
{
    /// <summary>The descriptive text fields, with their TIFF tag numbers.</summary>
    public static readonly (ushort Number, ExifTag<string> Tag)[] TextTags =
    [
        (270, ExifTag.ImageDescription), (271, ExifTag.Make), (272, ExifTag.Model), (305, ExifTag.Software),
        (306, ExifTag.DateTime), (315, ExifTag.Artist), (33432, ExifTag.Copyright),
    ];

    /// <summary>The fields of a TIFF's directory (as ImageSharp reads it into the frame's profile) that describe the photo; null when there are none.</summary>
    public static ExifProfile? Describing(ExifProfile? directory)
    {
        if (directory is null) return null;
        var profile = new ExifProfile();
        bool any = false;
        foreach ((_, ExifTag<string> tag) in TextTags)
        {
            if (directory.GetValue(tag)?.Value is { Length: > 0 } text)
            {
                profile.SetValue(tag, text);
                any = true;
            }
        }
        if (directory.GetValue(ExifTag.Orientation)?.Value is { } orientation)
        {
            profile.SetValue(ExifTag.Orientation, orientation);
            any = true;
        }
        return any ? profile : null;
    }

    /// <summary>The descriptive text fields of <paramref name="exif"/> as (TIFF tag, text).</summary>
    public static IEnumerable<(ushort Tag, string Text)> Texts(ExifProfile? exif)
    {
        if (exif is null) yield break;
        foreach ((ushort number, ExifTag<string> tag) in TextTags)
            if (exif.GetValue(tag)?.Value is { Length: > 0 } text) yield return (number, text);
    }
}
