using Inpaint.Cli;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>Damaged, truncated and foreign files: refused with one line naming the file, never decoded into garbage.</summary>
public class DamagedFileTests
{
    public static TheoryData<string> Encoders => new() { "png", "png16", "jpeg", "bmp24", "bmp32", "webp-lossless", "webp-lossy", "tiff", "tiff16" };

    private static (byte[] Bytes, string Extension) Encode(string kind)
    {
        using var photo = Fixture.Photo(64, 48);
        (IImageEncoder encoder, string ext) = kind switch
        {
            "png" => ((IImageEncoder)new PngEncoder(), ".png"),
            "png16" => (new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }, ".png"),
            "tiff" => (new SixLabors.ImageSharp.Formats.Tiff.TiffEncoder(), ".tif"),
            "tiff16" => (new TiffPhotoEncoder(PhotoChannels.Rgb, 16, TiffStorage.Deflate), ".tif"),
            "jpeg" => (new JpegEncoder { Quality = 90 }, ".jpg"),
            "bmp24" => (new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }, ".bmp"),
            "bmp32" => (new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 }, ".bmp"),
            "webp-lossless" => (new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, ".webp"),
            _ => (new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }, ".webp"),
        };
        using var stream = new MemoryStream();
        photo.Save(stream, encoder);
        return (stream.ToArray(), ext);
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void EveryTruncationOfEveryFormatIsRefusedAndNamed(string kind)
    {
        var (bytes, ext) = Encode(kind);
        string dir = Fixture.TempDir();
        using (var intact = new PhotoFile().Read(new MemoryStream(bytes))) Assert.Equal(64, intact.Width);
        // Cut everywhere from the first bytes to the last one: the header, the pixel data, the trailer.
        // ImageSharp's TIFF writer ends the file with a byte that pads its last value to an even length: without it the
        // file is still whole, so the last cut is one byte before that.
        int end = kind == "tiff" && bytes[^1] == 0 ? bytes.Length - 1 : bytes.Length;
        var lengths = Enumerable.Range(1, 40).Select(k => end * k / 41).Append(end - 1).Distinct();
        foreach (int length in lengths)
        {
            string path = Path.Combine(dir, $"cut{length}{ext}");
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(path));
            Assert.StartsWith($"'{path}' is ", e.Message);
            Assert.Matches("damaged or truncated|not a PNG, JPEG, BMP, WebP or TIFF", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void TheJpegThatCrashedImageSharpIsRefusedThroughTheCli()
    {
        // samples/scratches.png saved by Pillow as JPEG quality 90, byte 90 set to 0xDF: a NullReferenceException
        // inside ImageSharp 2.1's JPEG Identify, which the CLI reported as an internal error (exit 3).
        string damaged = Path.Combine(AppContext.BaseDirectory, "Fixtures", "damaged", "scratches-q90-byte90.jpg");
        string dir = Fixture.TempDir();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", damaged, "--mask", Path.Combine(ModelTests.RepoRoot(), "samples", "scratches-mask.png"),
            "-o", Path.Combine(dir, "out.png"), "--model", Fixture.TinyModel, "--device", "cpu"], new StringWriter(), stderr);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"error: '{damaged}' is a damaged or truncated JPEG file: its header cannot be read{Environment.NewLine}", stderr.ToString());
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void FolderModeListsEveryDamagedFileAndRepairsTheRest()
    {
        string dir = Fixture.TempDir(), photos = Path.Combine(dir, "photos"), masks = Path.Combine(dir, "masks"), output = Path.Combine(dir, "out");
        Directory.CreateDirectory(photos);
        Directory.CreateDirectory(masks);
        foreach (string kind in new[] { "png", "jpeg", "bmp32", "webp-lossy" })
        {
            var (bytes, ext) = Encode(kind);
            File.WriteAllBytes(Path.Combine(photos, $"good-{kind}{ext}"), bytes);
            File.WriteAllBytes(Path.Combine(photos, $"cut-{kind}{ext}"), bytes[..(bytes.Length * 2 / 3)]);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "damaged", "scratches-q90-byte90.jpg"), Path.Combine(photos, "crash.jpg"));
        File.WriteAllBytes(Path.Combine(photos, "empty.png"), []);
        using (var mask = new Image<Rgba32>(64, 48, new Rgba32(0, 0, 0, 255)))
        {
            for (int y = 20; y < 28; y++) for (int x = 20; x < 30; x++) mask[x, y] = new Rgba32(255, 255, 255, 255);
            foreach (string photo in Directory.GetFiles(photos)) mask.SaveAsPng(Path.Combine(masks, Path.GetFileNameWithoutExtension(photo) + ".png"));
        }
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", photos, "--masks", masks, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu"], stdout, stderr);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("4 repaired, 0 skipped (output exists), 6 failed", stdout.ToString());
        string[] failed = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, failed.Length);
        Assert.All(failed, line => Assert.Matches(@"^failed: (cut-[\w-]+\.(png|jpg|bmp|webp)|crash\.jpg|empty\.png): '.+' is (a damaged or truncated|empty)", line));
        Assert.Equal(4, Directory.GetFiles(output).Length);
        Assert.All(Directory.GetFiles(output), f => Assert.StartsWith("good-", Path.GetFileName(f)));
    }

    [Fact]
    public void ForeignEmptyAndFolderPathsSayWhatTheyAre()
    {
        string dir = Fixture.TempDir();
        string gif = Path.Combine(dir, "a.png"), empty = Path.Combine(dir, "e.png");
        File.WriteAllBytes(gif, "GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray()); // a GIF named .png: the content decides
        File.WriteAllBytes(empty, []);
        Assert.Equal($"'{gif}' is not a PNG, JPEG, BMP, WebP or TIFF image", Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(gif)).Message);
        Assert.Equal($"'{empty}' is empty", Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(empty)).Message);
        Assert.Equal($"'{dir}' is a folder, not an image file", Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(dir)).Message);
    }

    [Fact]
    public void ThePixelLimitIsCheckedFromTheHeaderBeforeAnyPixelIsDecoded()
    {
        // A PNG that declares 30000x30000 (900 MP) in its header, followed by a few bytes of pixel data and its end:
        // if pixels were decoded first, this would take 3.6 GB or be called truncated; the limit answers first.
        byte[] file = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
            .. Chunk("IHDR", [0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 6, 0, 0, 0]),
            .. Chunk("IDAT", [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1]),
            .. Chunk("IEND", [])];
        var e = Assert.Throws<ImageTooLargeException>(() => new PhotoFile().Read(new MemoryStream(file), "huge.png"));
        Assert.Equal("'huge.png' is 30000x30000, above the limit of 100,000,000 pixels", e.Message);
        // The same header under the limit is read on and found short of pixels.
        Assert.Contains("damaged or truncated PNG", Assert.Throws<InvalidDataException>(() => new PhotoFile(maxPixels: 1_000_000_000).Read(new MemoryStream(file), "huge.png")).Message);
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        uint crc = Crc32(typed);
        return [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. typed,
            (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
