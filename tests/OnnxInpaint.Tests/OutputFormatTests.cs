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
}
