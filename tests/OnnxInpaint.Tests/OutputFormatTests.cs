using Inpaint.Cli;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>Known pixels, alpha included, are bit-identical in every lossless output format the CLI writes.</summary>
public class OutputFormatTests
{
    [Theory]
    [InlineData(".png")]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    public void KnownPixelsAreBitIdenticalInTheOutputFile(string extension)
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "photo.png"), mask = Path.Combine(dir, "mask.png"), output = Path.Combine(dir, "out" + extension);
        using (var image = Fixture.Photo(90, 70))
        {
            image[3, 3] = new Rgba32(9, 8, 7, 100);   // translucent
            image[5, 60] = new Rgba32(200, 10, 30, 0); // transparent, with colour
            image.SaveAsPng(photo);
        }
        using (var m = new Image<Rgba32>(90, 70, new Rgba32(0, 0, 0, 255)))
        {
            for (int y = 20; y < 45; y++) for (int x = 30; x < 60; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
            m.SaveAsPng(mask);
        }
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", photo, "--mask", mask, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu"], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        var files = new PhotoFile();
        using var before = files.Read(photo);
        using var after = files.Read(output);
        using var maskImage = files.Read(mask);
        Fixture.AssertKnownPixelsIdentical(before, after, MaskRule.Read(maskImage, 90, 70));
        Assert.Equal(new Rgba32(200, 10, 30, 0), after[5, 60]);
    }

    /// <summary>A photo of each channel layout, written in the given format: grey (R = G = B), RGB, or RGBA with one translucent pixel.</summary>
    private static void SavePhoto(string path, string channels)
    {
        using var image = Fixture.Photo(90, 70, seed: 5);
        for (int y = 0; y < 70; y++)
            for (int x = 0; x < 90; x++)
            {
                Rgba32 p = image[x, y];
                // A grey with detail (a smooth one is reproduced exactly by the fill, and no hole pixel would change).
                byte v = (byte)((p.R * 7 + p.G * 3 + x * 13 + y * 29) % 256);
                if (channels == "grey") image[x, y] = new Rgba32(v, v, v, 255);
            }
        if (channels == "rgba") image[3, 3] = new Rgba32(9, 8, 7, 100);
        switch (channels, Path.GetExtension(path))
        {
            case ("grey", ".png"): image.SaveAsPng(path, new SixLabors.ImageSharp.Formats.Png.PngEncoder { ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.Grayscale }); break;
            case ("rgb", ".png"): image.SaveAsPng(path, new SixLabors.ImageSharp.Formats.Png.PngEncoder { ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.Rgb }); break;
            case (_, ".png"): image.SaveAsPng(path, new SixLabors.ImageSharp.Formats.Png.PngEncoder { ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.RgbWithAlpha }); break;
            default: image.Save(path); break;
        }
    }

    [Theory]
    [InlineData("grey", ".png", ".png", "Grayscale")]
    [InlineData("rgb", ".png", ".png", "Rgb")]
    [InlineData("rgba", ".png", ".png", "RgbWithAlpha")]
    [InlineData("rgb", ".jpg", ".png", "Rgb")]
    [InlineData("grey", ".png", ".bmp", "Pixel24")]
    [InlineData("rgb", ".png", ".bmp", "Pixel24")]
    [InlineData("rgba", ".png", ".bmp", "Pixel32")]
    [InlineData("grey", ".png", ".jpg", "Luminance")]
    public void TheOutputHasTheChannelsOfTheInputAndItsKnownPixels(string channels, string input, string output, string expected)
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "photo" + input), mask = Path.Combine(dir, "mask.png"), written = Path.Combine(dir, "out" + output);
        SavePhoto(photo, channels);
        RepairWithTheSquareMask(photo, mask, written);
        var info = Image.Identify(written)!;
        string actual = output switch
        {
            ".png" => info.Metadata.GetPngMetadata().ColorType.ToString()!,
            ".bmp" => info.Metadata.GetBmpMetadata().BitsPerPixel.ToString(),
            _ => info.Metadata.GetJpegMetadata().ColorType.ToString()!,
        };
        Assert.Equal(expected, actual);
        if (output == ".jpg") return; // lossy: only the layout is checked
        var files = new PhotoFile();
        using var before = files.Read(photo);
        using var after = files.Read(written);
        using var maskImage = files.Read(mask);
        Fixture.AssertKnownPixelsIdentical(before, after, MaskRule.Read(maskImage, 90, 70));
        if (channels == "grey")
            for (int y = 20; y < 45; y++) for (int x = 30; x < 60; x++) Assert.True(after[x, y].R == after[x, y].G && after[x, y].G == after[x, y].B);
    }

    /// <summary>Writes a 90x70 mask with a 30x25 hole and repairs <paramref name="photo"/> with the freeform fixture through the CLI.</summary>
    private static void RepairWithTheSquareMask(string photo, string mask, string written)
    {
        using (var m = new Image<Rgba32>(90, 70, new Rgba32(0, 0, 0, 255)))
        {
            for (int y = 20; y < 45; y++) for (int x = 30; x < 60; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
            m.SaveAsPng(mask);
        }
        var stderr = new StringWriter();
        Assert.True(InpaintCli.Run(["repair", photo, "--mask", mask, "-o", written, "--model", Fixture.FreeformModel, "--device", "cpu"], new StringWriter(), stderr) == 0, stderr.ToString());
    }
}
