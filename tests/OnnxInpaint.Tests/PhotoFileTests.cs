using Inpaint.OnnxInpaint.Imaging;
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
        Assert.Contains("is not a PNG, JPEG, BMP or WebP image", Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(gif)).Message);

        string png = Path.Combine(dir, "big.png");
        using (var image = Fixture.Photo(300, 200)) image.SaveAsPng(png);
        Assert.Contains("above the limit", Assert.Throws<InvalidDataException>(() => new PhotoFile(maxPixels: 10_000).Read(png)).Message);

        string cut = Path.Combine(dir, "cut.png");
        File.WriteAllBytes(cut, File.ReadAllBytes(png)[..200]);
        Assert.Throws<InvalidDataException>(() => new PhotoFile().Read(cut));
    }

    [Fact]
    public void AppliesExifOrientation()
    {
        string dir = Fixture.TempDir();
        string path = Path.Combine(dir, "rotated.jpg");
        using (var image = Fixture.Photo(60, 40))
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6); // rotate 90 degrees clockwise to view
            image.SaveAsJpeg(path);
        }
        using var read = new PhotoFile().Read(path);
        Assert.Equal(40, read.Width);
        Assert.Equal(60, read.Height);
    }

    [Fact]
    public void WritesTheFormatOfTheExtensionAtomicallyAndKeepsMetadata()
    {
        string dir = Fixture.TempDir();
        using var image = Fixture.Photo(30, 20);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Copyright, "Inpaint tests");
        var files = new PhotoFile { JpegQuality = 90 };
        foreach (string ext in new[] { ".png", ".jpg", ".bmp", ".webp" })
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
        Assert.Throws<InvalidDataException>(() => files.Write(image, Path.Combine(dir, "out.tiff")));
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
