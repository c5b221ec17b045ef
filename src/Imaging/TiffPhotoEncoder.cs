using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Imaging;

/// <summary>How a TIFF's strips are stored.</summary>
public enum TiffStorage
{
    /// <summary>As they are.</summary>
    Uncompressed,

    /// <summary>zlib-compressed (compression 8, "Adobe Deflate"; lossless).</summary>
    Deflate,
}

/// <summary>
/// Writes a baseline single-page TIFF with 8 or 16 bits a sample, grey, RGB or RGBA (unassociated alpha), with the
/// image's resolution, ICC profile and the EXIF fields TIFF keeps in its directory (<see cref="TiffExif"/>). ImageSharp 2.1's own TIFF encoder writes 8-bit samples only and no alpha, so a
/// 16-bit scan would come back cut to 8 bits.
/// </summary>
internal sealed class TiffPhotoEncoder(PhotoChannels channels, int bitsPerSample, TiffStorage storage) : IImageEncoder
{
    private const int StripBytes = 1 << 18;
    private const ushort Ascii = 2, Short = 3, Long = 4, Rational = 5, Undefined = 7;

    /// <inheritdoc/>
    public void Encode<TPixel>(Image<TPixel> image, Stream stream)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        int samples = channels switch { PhotoChannels.Grey => 1, PhotoChannels.Rgb => 3, _ => 4 };
        int rowBytes = image.Width * samples * bitsPerSample / 8;
        int rowsPerStrip = Math.Clamp(StripBytes / Math.Max(1, rowBytes), 1, image.Height);
        var strips = new List<byte[]>();
        var raw = new byte[rowBytes * rowsPerStrip];
        var wide = new Rgba64[image.Width];
        for (int y0 = 0; y0 < image.Height; y0 += rowsPerStrip)
        {
            int rows = Math.Min(rowsPerStrip, image.Height - y0);
            for (int r = 0; r < rows; r++) WriteRow(image, y0 + r, samples, wide, raw.AsSpan(r * rowBytes, rowBytes));
            strips.Add(Store(raw.AsSpan(0, rows * rowBytes)));
        }
        stream.Write(Layout(image, samples, rowsPerStrip, strips));
    }

    /// <inheritdoc/>
    public Task EncodeAsync<TPixel>(Image<TPixel> image, Stream stream, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Encode(image, stream);
        return Task.CompletedTask;
    }

    /// <summary>One row's samples, little-endian, interleaved (R G B [A] or grey).</summary>
    private void WriteRow<TPixel>(Image<TPixel> image, int y, int samples, Rgba64[] wide, Span<byte> row)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        ReadOnlySpan<TPixel> source = image.DangerousGetPixelRowMemory(y).Span;
        PixelOperations<TPixel>.Instance.To(image.GetConfiguration(), source, wide.AsSpan());
        int at = 0;
        foreach (Rgba64 p in wide)
        {
            Put(row, ref at, p.R);
            if (samples == 1) continue;
            Put(row, ref at, p.G);
            Put(row, ref at, p.B);
            if (samples == 4) Put(row, ref at, p.A);
        }
    }

    private void Put(Span<byte> row, ref int at, ushort value)
    {
        if (bitsPerSample == 16)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(row[at..], value);
            at += 2;
        }
        else
        {
            row[at++] = DeepPixels.To8(value);
        }
    }

    private byte[] Store(ReadOnlySpan<byte> strip)
    {
        if (storage == TiffStorage.Uncompressed) return strip.ToArray();
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(strip);
        return compressed.ToArray();
    }

    /// <summary>Header, strips, then the one directory (its tags in ascending order) and the values that do not fit in it.</summary>
    private byte[] Layout<TPixel>(Image<TPixel> image, int samples, int rowsPerStrip, List<byte[]> strips)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var file = new MemoryStream();
        file.Write("II*\0"u8);
        file.Write(new byte[4]); // the directory's offset, set below
        var offsets = new long[strips.Count];
        for (int s = 0; s < strips.Count; s++)
        {
            offsets[s] = file.Position;
            file.Write(strips[s]);
        }
        if (file.Position % 2 == 1) file.WriteByte(0); // a directory starts on a word boundary
        var directory = new TiffDirectory();
        directory.Add(256, Long, (uint)image.Width);
        directory.Add(257, Long, (uint)image.Height);
        directory.Add(258, Short, Enumerable.Repeat((uint)bitsPerSample, samples).ToArray());
        directory.Add(259, Short, storage == TiffStorage.Deflate ? 8u : 1u);
        directory.Add(262, Short, samples == 1 ? 1u : 2u); // BlackIsZero or RGB
        directory.Add(273, Long, offsets.Select(o => (uint)o).ToArray());
        directory.Add(277, Short, (uint)samples);
        directory.Add(278, Long, (uint)rowsPerStrip);
        directory.Add(279, Long, strips.Select(s => (uint)s.Length).ToArray());
        (uint unit, double x, double y) = Resolution(image.Metadata);
        directory.AddRational(282, x);
        directory.AddRational(283, y);
        directory.Add(284, Short, 1u); // samples interleaved
        directory.Add(296, Short, unit);
        if (samples == 4) directory.Add(338, Short, 2u); // the fourth sample is unassociated alpha
        if (image.Metadata.IccProfile?.ToByteArray() is { } profile) directory.Add(34675, Undefined, profile);
        foreach ((ushort tag, string text) in TiffExif.Texts(image.Metadata.ExifProfile)) directory.AddText(tag, text);
        if (image.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value is { } orientation) directory.Add(274, Short, orientation);
        long at = file.Position;
        file.Write(directory.Encode(at));
        byte[] bytes = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)at);
        return bytes;
    }

    /// <summary>TIFF's resolution unit (1 none, 2 inch, 3 centimetre) and the two resolutions in it; 72 dpi when unknown.</summary>
    private static (uint Unit, double X, double Y) Resolution(ImageMetadata metadata) => metadata.ResolutionUnits switch
    {
        PixelResolutionUnit.PixelsPerInch => (2, metadata.HorizontalResolution, metadata.VerticalResolution),
        PixelResolutionUnit.PixelsPerCentimeter => (3, metadata.HorizontalResolution, metadata.VerticalResolution),
        PixelResolutionUnit.PixelsPerMeter => (3, metadata.HorizontalResolution / 100, metadata.VerticalResolution / 100),
        _ => (1, metadata.HorizontalResolution, metadata.VerticalResolution),
    };

    /// <summary>One image file directory: 12-byte entries, values of more than 4 bytes stored after it.</summary>
    private sealed class TiffDirectory
    {
        private readonly List<(ushort Tag, ushort Type, uint Count, byte[] Value)> entries = [];

        public void Add(ushort tag, ushort type, params uint[] values)
        {
            int size = type == Short ? 2 : 4;
            var bytes = new byte[values.Length * size];
            for (int i = 0; i < values.Length; i++)
            {
                if (size == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)values[i]);
                else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
            }
            entries.Add((tag, type, (uint)values.Length, bytes));
        }

        public void Add(ushort tag, ushort type, byte[] value) => entries.Add((tag, type, (uint)value.Length, value));

        /// <summary>Text as ASCII with its closing zero (characters outside ASCII become '?').</summary>
        public void AddText(ushort tag, string text)
        {
            byte[] bytes = [.. System.Text.Encoding.ASCII.GetBytes(text), 0];
            entries.Add((tag, Ascii, (uint)bytes.Length, bytes));
        }

        /// <summary>A resolution as a fraction over 1000 (a sensible default when the value is not positive).</summary>
        public void AddRational(ushort tag, double value)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)Math.Round((value > 0 ? value : 72) * 1000));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1000);
            entries.Add((tag, Rational, 1, bytes));
        }

        /// <summary>The directory as it lies at <paramref name="at"/> in the file, followed by its out-of-line values.</summary>
        public byte[] Encode(long at)
        {
            int tableSize = 2 + entries.Count * 12 + 4;
            var table = new byte[tableSize];
            var extra = new MemoryStream();
            BinaryPrimitives.WriteUInt16LittleEndian(table, (ushort)entries.Count);
            int e = 2;
            foreach (var (tag, type, count, value) in entries.OrderBy(x => x.Tag))
            {
                BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(e), tag);
                BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(e + 2), type);
                BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(e + 4), count);
                if (value.Length <= 4)
                {
                    value.CopyTo(table, e + 8);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(e + 8), (uint)(at + tableSize + extra.Position));
                    extra.Write(value);
                    if (extra.Position % 2 == 1) extra.WriteByte(0);
                }
                e += 12;
            }
            // The last 4 bytes stay zero: no next page.
            return [.. table, .. extra.ToArray()];
        }
    }
}
