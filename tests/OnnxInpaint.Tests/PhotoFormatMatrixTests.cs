using Inpaint.Cli;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// Photos as they are: a repair through the CLI, written in the input's format, has the input's channels and (PNG, TIFF)
/// bit depth, its known pixels exact at that depth (read back with ImageSharp at 16 bits), and its ICC profile and EXIF.
/// </summary>
public class PhotoFormatMatrixTests
{
    private const int Width = 90, Height = 70;

    /// <summary>Input kind (format, and for TIFF how its strips are stored), channels, bits a sample.</summary>
    public static TheoryData<string, string, int> Inputs => new()
    {
        { "png", "grey", 8 }, { "png", "rgb", 8 }, { "png", "rgba", 8 },
        { "png", "grey", 16 }, { "png", "rgb", 16 }, { "png", "rgba", 16 },
        { "tiff-none", "grey", 8 }, { "tiff-lzw", "rgb", 8 }, { "tiff-deflate", "rgb", 8 }, { "tiff-deflate", "rgba", 8 },
        { "tiff-none", "grey", 16 }, { "tiff-deflate", "rgb", 16 }, { "tiff-deflate", "rgba", 16 },
        { "bmp", "rgb", 8 }, { "bmp", "rgba", 8 },
        { "webp", "rgb", 8 }, { "webp", "rgba", 8 },
        { "jpeg", "grey", 8 }, { "jpeg", "rgb", 8 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TheRepairKeepsFormatChannelsBitDepthAndKnownPixels(string kind, string channels, int bits)
    {
        string dir = Fixture.TempDir();
        string extension = Extension(kind);
        string photo = Path.Combine(dir, "photo" + extension), written = Path.Combine(dir, "out" + extension);
        using (Image<Rgba64> image = Source(channels, bits)) image.Save(photo, Encoder(kind, channels, bits));
        HoleMap holes = Repair(photo, Path.Combine(dir, "mask.png"), written);

        Assert.Equal((channels, bits), Layout(written, kind));
        if (kind == "jpeg") return; // lossy: the layout is what can be checked
        using var before = Image.Load<Rgba64>(photo);
        using var after = Image.Load<Rgba64>(written);
        int changed = 0;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                if (!holes.Holes[y * Width + x]) Assert.True(before[x, y] == after[x, y], $"known pixel ({x},{y}): {before[x, y]} became {after[x, y]}");
                else if (before[x, y] != after[x, y]) changed++;
            }
        Assert.True(changed > 0, "the repair changed no hole pixel");
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".png")]
    [InlineData(".tif")]
    public void TheRepairKeepsTheIccProfileAndExifOfThePhoto(string extension)
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "photo" + extension), written = Path.Combine(dir, "out" + extension);
        byte[] profile = MinimalIccProfile();
        using (Image<Rgba64> image = Source("rgb", 8))
        {
            image.Metadata.IccProfile = new IccProfile(profile);
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Copyright, "Inpaint tests");
            if (extension == ".png") File.WriteAllBytes(photo, PngColorProfile.Insert(Encoded(image, new PngEncoder()), profile)); // ImageSharp writes no iCCP
            else image.Save(photo, extension == ".tif" ? new TiffPhotoEncoder(PhotoChannels.Rgb, 8, TiffStorage.Deflate) : new JpegEncoder());
        }
        Repair(photo, Path.Combine(dir, "mask.png"), written);
        byte[] bytes = File.ReadAllBytes(written);
        using var back = Image.Load(bytes);
        byte[]? read = extension == ".png" ? PngColorProfile.Read(bytes) : (back.Metadata.IccProfile ?? back.Frames.RootFrame.Metadata.IccProfile)?.ToByteArray();
        Assert.Equal(profile, read);
        ExifProfile? exif = back.Metadata.ExifProfile ?? back.Frames.RootFrame.Metadata.ExifProfile;
        Assert.Equal("Inpaint tests", exif?.GetValue(ExifTag.Copyright)?.Value);
    }

    [Fact]
    public void SixteenBitSamplesOfKnownPixelsAreNotRoundedTo8Bits()
    {
        // The photo's samples are not multiples of 257, so an 8-bit round trip anywhere would show.
        using Image<Rgba64> image = Source("rgb", 16);
        Assert.Contains(Enumerable.Range(0, Width), x => image[x, 5].R % 257 != 0);
        using var rounded = DeepPixels.To8(image, Configuration.Default);
        using var restored = DeepPixels.Restore(rounded, image);
        for (int x = 0; x < Width; x++) Assert.Equal(image[x, 5], restored[x, 5]);
        rounded[4, 5] = new Rgba32(0, 255, 0, 255); // a "repaired" pixel takes the repair's value, widened
        using var changed = DeepPixels.Restore(rounded, image);
        Assert.Equal(new Rgba64(0, 65535, 0, 65535), changed[4, 5]);
    }

    [Fact]
    public void RefusesTruncatedAndMultiPageTiffs()
    {
        string dir = Fixture.TempDir();
        using Image<Rgba64> image = Source("rgb", 16);
        byte[] tiff = Encoded(image, new TiffPhotoEncoder(PhotoChannels.Rgb, 16, TiffStorage.Uncompressed));
        var files = new PhotoFile();

        // Uncompressed strips come first and the directory last, so cutting the pixel data means moving the directory:
        // a file that lists its strips beyond its end is what a cut transfer of a strips-last writer leaves.
        string cut = Path.Combine(dir, "cut.tif");
        File.WriteAllBytes(cut, ShortenStrips(tiff));
        var e = Assert.Throws<InvalidDataException>(() => files.Read(cut));
        Assert.Contains("damaged or truncated TIFF", e.Message);
        Assert.Contains("the data ends before strip", e.Message);

        string cutHeader = Path.Combine(dir, "header.tif");
        File.WriteAllBytes(cutHeader, tiff[..6]);
        Assert.Contains("ends inside its header", Assert.Throws<InvalidDataException>(() => files.Read(cutHeader)).Message);

        string pages = Path.Combine(dir, "pages.tif");
        using (var two = new Image<Rgb24>(8, 8))
        {
            two.Frames.AddFrame(new Image<Rgb24>(8, 8).Frames.RootFrame);
            two.Save(pages, new TiffEncoder());
        }
        Assert.Contains("more than one page", Assert.Throws<InvalidDataException>(() => files.Read(pages)).Message);
    }

    [Fact]
    public void RefusesATiffOverThePixelLimitFromItsHeader()
    {
        string path = Path.Combine(Fixture.TempDir(), "big.tif");
        using (var image = new Image<Rgb24>(300, 200)) image.Save(path, new TiffEncoder());
        var e = Assert.Throws<ImageTooLargeException>(() => new PhotoFile(maxPixels: 50_000).Read(path));
        Assert.Equal((300, 200), (e.Width, e.Height));
    }

    /// <summary>The file with its last strip's byte count raised past the end (the directory is rewritten in place).</summary>
    private static byte[] ShortenStrips(byte[] tiff)
    {
        byte[] bytes = (byte[])tiff.Clone();
        uint directory = BitConverter.ToUInt32(bytes, 4);
        int entries = BitConverter.ToUInt16(bytes, (int)directory);
        for (int e = 0; e < entries; e++)
        {
            int at = (int)directory + 2 + e * 12;
            if (BitConverter.ToUInt16(bytes, at) != 279) continue; // StripByteCounts
            uint count = BitConverter.ToUInt32(bytes, at + 4);
            int values = count == 1 ? at + 8 : (int)BitConverter.ToUInt32(bytes, at + 8);
            int last = values + (int)(count - 1) * 4;
            BitConverter.GetBytes(BitConverter.ToUInt32(bytes, last) + (uint)bytes.Length).CopyTo(bytes, last);
        }
        return bytes;
    }

    private static string Extension(string kind) => kind switch
    {
        "jpeg" => ".jpg",
        _ when kind.StartsWith("tiff") => ".tif",
        _ => "." + kind,
    };

    /// <summary>A 90x70 photo with detail in the given channels; 16-bit samples that are not multiples of 257.</summary>
    private static Image<Rgba64> Source(string channels, int bits)
    {
        using Image<Rgba32> photo = Fixture.Photo(Width, Height, seed: 5);
        var image = new Image<Rgba64>(Width, Height);
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                Rgba32 p = photo[x, y];
                ushort Sample(byte v, int salt) => (ushort)(v * 257 + (bits == 16 ? (x * 31 + y * 17 + salt) % 251 - 125 : 0) & 0xFFFF);
                ushort grey = Sample((byte)((p.R * 7 + p.G * 3 + x * 13 + y * 29) % 200 + 20), 0);
                image[x, y] = channels == "grey" ? new Rgba64(grey, grey, grey, 65535)
                    : new Rgba64(Sample((byte)Math.Max(1, (int)p.R), 1), Sample((byte)Math.Max(1, (int)p.G), 2), Sample((byte)Math.Max(1, (int)p.B), 3), 65535);
            }
        if (channels == "rgba") image[3, 3] = new Rgba64(9 * 257, 8 * 257, 7 * 257, (ushort)(bits == 16 ? 25_701 : 100 * 257));
        return image;
    }

    private static IImageEncoder Encoder(string kind, string channels, int bits)
    {
        PhotoChannels layout = channels switch { "grey" => PhotoChannels.Grey, "rgb" => PhotoChannels.Rgb, _ => PhotoChannels.Rgba };
        return kind switch
        {
            "png" => new PngEncoder { BitDepth = bits == 16 ? PngBitDepth.Bit16 : PngBitDepth.Bit8, ColorType = PhotoChannelsOf.PngColorTypeOf(layout) },
            // 8-bit grey and RGB through ImageSharp's own TIFF encoder (a second writer); 16 bits and alpha through ours.
            "tiff-none" or "tiff-lzw" or "tiff-deflate" when bits == 8 && layout != PhotoChannels.Rgba => new TiffEncoder
            {
                BitsPerPixel = layout == PhotoChannels.Grey ? TiffBitsPerPixel.Bit8 : TiffBitsPerPixel.Bit24,
                Compression = kind switch { "tiff-none" => TiffCompression.None, "tiff-lzw" => TiffCompression.Lzw, _ => TiffCompression.Deflate },
            },
            "tiff-none" => new TiffPhotoEncoder(layout, bits, TiffStorage.Uncompressed),
            "tiff-lzw" or "tiff-deflate" => new TiffPhotoEncoder(layout, bits, TiffStorage.Deflate),
            "bmp" => layout == PhotoChannels.Rgba ? new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32, SupportTransparency = true } : new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
            "webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            _ => new JpegEncoder { ColorType = layout == PhotoChannels.Grey ? JpegColorType.Luminance : JpegColorType.YCbCrRatio420 },
        };
    }

    /// <summary>The channels and bits a sample of a written file, from its own header.</summary>
    private static (string Channels, int Bits) Layout(string path, string kind)
    {
        using var image = Image.Load<Rgba64>(path);
        if (kind == "png")
        {
            PngMetadata png = image.Metadata.GetPngMetadata();
            return (png.ColorType switch { PngColorType.Grayscale => "grey", PngColorType.Rgb => "rgb", _ => "rgba" }, png.BitDepth == PngBitDepth.Bit16 ? 16 : 8);
        }
        if (kind.StartsWith("tiff"))
        {
            TiffFrameMetadata tiff = image.Frames.RootFrame.Metadata.GetTiffMetadata();
            int samples = tiff.BitsPerSample!.Value.Channels;
            return (samples switch { 1 => "grey", 3 => "rgb", _ => "rgba" }, tiff.BitsPerSample.Value.Channel0);
        }
        if (kind == "jpeg") return (image.Metadata.GetJpegMetadata().ColorType == JpegColorType.Luminance ? "grey" : "rgb", 8);
        if (kind == "bmp") return (image.Metadata.GetBmpMetadata().BitsPerPixel == BmpBitsPerPixel.Pixel32 ? "rgba" : "rgb", 8);
        // WebP says nothing of its channels in ImageSharp's metadata: the pixels do (the known pixels are compared too).
        return (image[3, 3].A != 65535 ? "rgba" : "rgb", 8);
    }

    private static byte[] Encoded(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>Writes a 90x70 mask with a 30x25 hole and repairs <paramref name="photo"/> with the freeform fixture through the CLI.</summary>
    private static HoleMap Repair(string photo, string mask, string written)
    {
        using (var m = new Image<Rgba32>(Width, Height, new Rgba32(0, 0, 0, 255)))
        {
            for (int y = 20; y < 45; y++) for (int x = 30; x < 60; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
            m.SaveAsPng(mask);
        }
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", photo, "--mask", mask, "-o", written, "--model", Fixture.FreeformModel, "--device", "cpu"], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        using var maskImage = new PhotoFile().Read(mask);
        return MaskRule.Read(maskImage, Width, Height);
    }

    /// <summary>A well-formed ICC header with no tags (132 bytes): enough for a file to carry it and a reader to find it.</summary>
    internal static byte[] MinimalIccProfile()
    {
        var bytes = new byte[132];
        void Ascii(int at, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(bytes, at);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length); // profile size
        bytes[8] = 2; bytes[9] = 0x10;                                                    // version 2.1
        Ascii(12, "mntr"); Ascii(16, "RGB "); Ascii(20, "XYZ ");                          // class, colour space, PCS
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(24), 2026); // creation year
        Ascii(36, "acsp");                                                                // the ICC signature
        Ascii(80, "Inpt");                                                                // creator
        return bytes;                                                                     // tag count (offset 128) 0
    }
}
