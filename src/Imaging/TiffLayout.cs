using System.Buffers.Binary;

namespace Inpaint.Imaging;

/// <summary>
/// Checks a TIFF's container before its pixels are decoded: one page (a photo, not a document; writing the repair
/// back would lose the others), its first directory and every value it points to inside the file, and every strip
/// or tile it lists inside the file. ImageSharp's TIFF decoder, like its PNG decoder, fills what is missing silently; a scan cut short in a
/// transfer must be refused rather than repaired into a photo with a black bottom.
/// </summary>
internal static class TiffLayout
{
    private const ushort StripOffsets = 273, StripByteCounts = 279, TileOffsets = 324, TileByteCounts = 325;
    private const int EntrySize = 12;

    /// <summary>Why the file cannot be a complete single-page TIFF, or null when it can.</summary>
    public static string? Problem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8) return "the file ends inside its header";
        bool little = bytes[0] == (byte)'I';
        long directory = ReadUInt32(bytes[4..], little);
        if (directory < 8 || directory + 2 > bytes.Length) return "its first directory lies outside the file";
        int entries = ReadUInt16(bytes[(int)directory..], little);
        long next = directory + 2 + (long)entries * EntrySize;
        if (next + 4 > bytes.Length) return "the file ends inside its first directory";
        if (ReadUInt32(bytes[(int)next..], little) != 0) return "it has more than one page (only single-page photos are read)";
        var fields = new Dictionary<ushort, long[]>();
        for (int e = 0; e < entries; e++)
        {
            ReadOnlySpan<byte> entry = bytes.Slice((int)(directory + 2 + e * EntrySize), EntrySize);
            ushort tag = ReadUInt16(entry, little);
            if (!ValuesInside(entry, little, bytes.Length)) return $"the values of its tag {tag} lie outside the file";
            if (tag is StripOffsets or StripByteCounts or TileOffsets or TileByteCounts)
            {
                long[]? values = ReadIntegers(bytes, entry, little);
                if (values is null) return $"its tag {tag} points outside the file";
                fields[tag] = values;
            }
        }
        return Extents(fields, StripOffsets, StripByteCounts, "strip", bytes.Length)
            ?? Extents(fields, TileOffsets, TileByteCounts, "tile", bytes.Length)
            ?? (fields.ContainsKey(StripOffsets) || fields.ContainsKey(TileOffsets) ? null : "it lists no pixel data");
    }

    /// <summary>Every (offset, count) pair inside a file of <paramref name="length"/> bytes.</summary>
    private static string? Extents(Dictionary<ushort, long[]> fields, ushort offsetsTag, ushort countsTag, string unit, long length)
    {
        if (!fields.TryGetValue(offsetsTag, out long[]? offsets)) return null;
        if (!fields.TryGetValue(countsTag, out long[]? counts) || counts.Length != offsets.Length)
            return $"its {unit} sizes are missing";
        for (int i = 0; i < offsets.Length; i++)
            if (offsets[i] + counts[i] > length) return $"the data ends before {unit} {i + 1} of {offsets.Length}";
        return null;
    }

    /// <summary>Whether an entry's values, when they do not fit in the entry, lie inside the file (an unknown type is not checked: readers skip it).</summary>
    private static bool ValuesInside(ReadOnlySpan<byte> entry, bool little, long length)
    {
        int size = ReadUInt16(entry[2..], little) switch
        {
            1 or 2 or 6 or 7 => 1,
            3 or 8 => 2,
            4 or 9 or 11 or 13 => 4,
            5 or 10 or 12 => 8,
            _ => 0,
        };
        long bytes = ReadUInt32(entry[4..], little) * (long)size;
        return bytes <= 4 || ReadUInt32(entry[8..], little) + bytes <= length;
    }

    /// <summary>The SHORT or LONG values of a directory entry (inline when they fit in 4 bytes); null when they lie outside the file.</summary>
    private static long[]? ReadIntegers(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> entry, bool little)
    {
        ushort type = ReadUInt16(entry[2..], little);
        long count = ReadUInt32(entry[4..], little);
        int size = type switch { 3 => 2, 4 => 4, _ => 0 };
        if (size == 0 || count > bytes.Length / size) return null;
        ReadOnlySpan<byte> data = entry[8..12];
        if (count * size > 4)
        {
            long at = ReadUInt32(entry[8..], little);
            if (at + count * size > bytes.Length) return null;
            data = bytes.Slice((int)at, (int)(count * size));
        }
        var values = new long[count];
        for (int i = 0; i < count; i++)
            values[i] = size == 2 ? ReadUInt16(data[(i * 2)..], little) : ReadUInt32(data[(i * 4)..], little);
        return values;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(at) : BinaryPrimitives.ReadUInt16BigEndian(at);

    private static uint ReadUInt32(ReadOnlySpan<byte> at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(at) : BinaryPrimitives.ReadUInt32BigEndian(at);
}
