using System.Buffers.Binary;
using System.IO.Compression;

namespace Inpaint.Imaging;

/// <summary>
/// The ICC profile of a PNG (its iCCP chunk), which ImageSharp 2.1 neither reads nor writes: read from a file's bytes,
/// and put into an encoded PNG right after its header chunk, where the PNG specification wants it (before any image data).
/// </summary>
internal static class PngColorProfile
{
    private const int SignatureLength = 8;
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>The profile in <paramref name="png"/>'s iCCP chunk; null when it has none or it cannot be inflated.</summary>
    public static byte[]? Read(ReadOnlySpan<byte> png)
    {
        int at = SignatureLength;
        while (at + 12 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png[at..]);
            if (length < 0 || at + 12L + length > png.Length) return null;
            ReadOnlySpan<byte> type = png.Slice(at + 4, 4);
            if (type.SequenceEqual("IDAT"u8)) return null; // the chunk must come before the image data
            if (type.SequenceEqual("iCCP"u8)) return Inflate(png.Slice(at + 8, length));
            at += 12 + length;
        }
        return null;
    }

    /// <summary><paramref name="png"/> with an iCCP chunk holding <paramref name="profile"/> after its IHDR chunk.</summary>
    public static byte[] Insert(ReadOnlySpan<byte> png, ReadOnlySpan<byte> profile)
    {
        int headerEnd = SignatureLength + 12 + BinaryPrimitives.ReadInt32BigEndian(png[SignatureLength..]);
        byte[] chunk = Chunk("iCCP"u8, Deflate("ICC profile"u8, profile));
        var result = new byte[png.Length + chunk.Length];
        png[..headerEnd].CopyTo(result);
        chunk.CopyTo(result, headerEnd);
        png[headerEnd..].CopyTo(result.AsSpan(headerEnd + chunk.Length));
        return result;
    }

    /// <summary>The chunk data: a name (1-79 Latin-1 characters), a zero, compression method 0, the zlib stream.</summary>
    private static byte[] Deflate(ReadOnlySpan<byte> name, ReadOnlySpan<byte> profile)
    {
        using var data = new MemoryStream();
        data.Write(name);
        data.WriteByte(0);
        data.WriteByte(0);
        using (var zlib = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(profile);
        return data.ToArray();
    }

    private static byte[]? Inflate(ReadOnlySpan<byte> data)
    {
        int zero = data.IndexOf((byte)0);
        if (zero < 1 || zero + 2 > data.Length || data[zero + 1] != 0) return null;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(data[(zero + 2)..].ToArray()), CompressionMode.Decompress);
            using var profile = new MemoryStream();
            zlib.CopyTo(profile);
            return profile.Length > 0 ? profile.ToArray() : null;
        }
        catch (InvalidDataException)
        {
            return null; // a damaged profile is dropped, as ImageSharp drops a damaged JPEG one; the pixels are still good
        }
    }

    private static byte[] Chunk(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        type.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>The CRC-32 PNG puts after every chunk (over its type and data).</summary>
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
