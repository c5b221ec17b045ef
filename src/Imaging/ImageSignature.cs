using System.Buffers.Binary;

namespace Inpaint.Imaging;

/// <summary>The five formats read, recognised by their first bytes (not by the file name).</summary>
internal enum ImageKind
{
    /// <summary>None of the five.</summary>
    Unknown,

    /// <summary>PNG (8-byte signature).</summary>
    Png,

    /// <summary>JPEG (SOI marker followed by another marker).</summary>
    Jpeg,

    /// <summary>Windows bitmap ("BM").</summary>
    Bmp,

    /// <summary>WebP ("RIFF", size, "WEBP").</summary>
    Webp,

    /// <summary>TIFF, classic ("II*\0" little-endian or "MM\0*" big-endian).</summary>
    Tiff,
}

/// <summary>
/// Sniffs the format from the file's first bytes. Decoders are only handed files whose signature is one of the
/// five, so a GIF, an ICO or a WBMP (which Skia would also decode) is refused as "not an image we read" rather
/// than decoded, and a file that starts right but fails later is known to be damaged rather than foreign.
/// </summary>
internal static class ImageSignature
{
    /// <summary>The format whose signature <paramref name="head"/> starts with.</summary>
    public static ImageKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return ImageKind.Png;
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return ImageKind.Jpeg;
        if (head.StartsWith("BM"u8)) return ImageKind.Bmp;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return ImageKind.Webp;
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return ImageKind.Tiff;
        return ImageKind.Unknown;
    }

    /// <summary>
    /// Why the container ends early, or null. Skia decodes a PNG whose end chunk is cut off, or a WebP a byte short
    /// of its RIFF size, when every pixel happens to be there; such a file is still truncated, and refused like any
    /// other. Trailing bytes after the declared end are allowed (some writers add them).
    /// </summary>
    public static string? MissingEnd(ImageKind kind, ReadOnlySpan<byte> bytes) => kind switch
    {
        ImageKind.Png when bytes.IndexOf((ReadOnlySpan<byte>)[(byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82]) < 0
            => "its end chunk (IEND) is missing",
        ImageKind.Webp when bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) + 8L > bytes.Length
            => "the file is shorter than its RIFF header says",
        ImageKind.Bmp when bytes.Length >= 6 && BinaryPrimitives.ReadUInt32LittleEndian(bytes[2..]) > bytes.Length
            => "the file is shorter than its header says",
        ImageKind.Tiff => TiffLayout.Problem(bytes),
        _ => null,
    };
}
