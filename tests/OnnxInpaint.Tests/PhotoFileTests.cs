using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class PhotoFileTests
{
    [Fact]
    public void RefusesUnknownFormatsAndHugeImagesBeforeDecoding()
    {
        string dir = Fixture.TempDir();
        string gif = Path.Combine(dir, "a.gif");
        File.WriteAllBytes(gif, "GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray());
        Assert.Contains("is not a PNG, JPEG, BMP, WebP or TIFF image", Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(gif)).Message);

        string png = Path.Combine(dir, "big.png");
        using (var image = Fixture.Photo(300, 200)) image.SaveAsPng(png);
        Assert.Contains("above the limit", Assert.Throws<ImageTooLargeException>(() => new PhotoFile(maxPixels: 10_000).Read(png)).Message);

        string cut = Path.Combine(dir, "cut.png");
        File.WriteAllBytes(cut, File.ReadAllBytes(png)[..200]);
        Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(cut));
    }

    // Stored quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.
    private static readonly Rgba32 Red = new(255, 0, 0), Green = new(0, 255, 0), Blue = new(0, 0, 255), White = new(255, 255, 255);

    /// <summary>
    /// What a viewer shows for each EXIF orientation (TIFF 6.0 / EXIF 2.3: the tag says where the stored first row
    /// and first column go), as the colours of the displayed top-left, top-right, bottom-left and bottom-right quadrants.
    /// A rotation the wrong way, or a flip instead of a rotation, puts a colour in another corner.
    /// </summary>
    [Theory]
    [InlineData((ushort)1, "R G B W")]
    [InlineData((ushort)2, "G R W B")] // mirrored left-right
    [InlineData((ushort)3, "W B G R")] // rotated 180
    [InlineData((ushort)4, "B W R G")] // mirrored top-bottom
    [InlineData((ushort)5, "R B G W")] // transposed
    [InlineData((ushort)6, "B R W G")] // rotate 90 clockwise to view
    [InlineData((ushort)7, "W G B R")] // transversed
    [InlineData((ushort)8, "G W R B")] // rotate 90 counter-clockwise to view
    public void AppliesExifOrientationTheRightWay(ushort orientation, string corners)
    {
        string dir = Fixture.TempDir();
        string path = Path.Combine(dir, "oriented.jpg");
        using (var image = new Image<Rgba32>(80, 48))
        {
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 80; x++)
                    image[x, y] = (x < 40, y < 24) switch { (true, true) => Red, (false, true) => Green, (true, false) => Blue, _ => White };
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
            image.SaveAsJpeg(path, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 95 });
        }
        using var read = new PhotoFile().Read(path);
        bool turned = orientation >= 5;
        Assert.Equal(turned ? 48 : 80, read.Width);
        Assert.Equal(turned ? 80 : 48, read.Height);
        int w = read.Width, h = read.Height;
        var seen = new[] { read[w / 4, h / 4], read[3 * w / 4, h / 4], read[w / 4, 3 * h / 4], read[3 * w / 4, 3 * h / 4] }.Select(Name);
        Assert.Equal(corners, string.Join(' ', seen));
        // The pixels are upright now: the tag carried to outputs must say so, or viewers would turn them again.
        Assert.Equal(ExifOrientationMode.TopLeft, read.Metadata.ExifProfile!.GetValue(ExifTag.Orientation)!.Value);
    }

    private static string Name(Rgba32 p) => (p.R > 128, p.G > 128, p.B > 128) switch
    {
        (true, false, false) => "R",
        (false, true, false) => "G",
        (false, false, true) => "B",
        (true, true, true) => "W",
        _ => $"?{p}",
    };

    [Fact]
    public void WritesTheFormatOfTheExtensionAtomicallyAndKeepsMetadata()
    {
        string dir = Fixture.TempDir();
        using var image = Fixture.Photo(30, 20);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Copyright, "Inpaint tests");
        var files = new PhotoFile { JpegQuality = 90 };
        foreach (string ext in new[] { ".png", ".jpg", ".bmp", ".webp", ".tif" })
        {
            string path = Path.Combine(dir, "out" + ext);
            files.Write(image, path);
            var format = Image.DetectFormat(path);
            Assert.NotNull(format);
            Assert.Contains(ext.TrimStart('.').Replace("jpg", "jpeg"), format!.FileExtensions);
        }
        using var jpeg = Image.Load(Path.Combine(dir, "out.jpg"));
        Assert.Equal("Inpaint tests", jpeg.Metadata.ExifProfile?.GetValue(ExifTag.Copyright)?.Value);
        Assert.Empty(Directory.GetFiles(dir, ".*"));
        Assert.Throws<InvalidDataException>(() => files.Write(image, Path.Combine(dir, "out.gif")));
    }

    [Fact]
    public void PngRoundTripIsLossless()
    {
        string dir = Fixture.TempDir();
        using var image = Fixture.Photo(31, 17);
        image[3, 3] = new Rgba32(9, 8, 7, 100);
        string path = Path.Combine(dir, "x.png");
        new PhotoFile().Write(image, path);
        using var back = new PhotoFile().Read(path);
        for (int y = 0; y < 17; y++) for (int x = 0; x < 31; x++) Assert.Equal(image[x, y], back[x, y]);
    }
}
