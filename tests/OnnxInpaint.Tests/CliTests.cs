using Inpaint.Cli;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static (string Photo, string Mask) Pair(string dir, string name, int w = 96, int h = 64, int seed = 1, string ext = ".png")
    {
        string photo = Path.Combine(dir, name + ext), mask = Path.Combine(dir, "masks", name + ".png");
        Directory.CreateDirectory(Path.Combine(dir, "masks"));
        using (var image = Fixture.Photo(w, h, seed)) image.Save(photo);
        using var m = new Image<Rgba32>(w, h, new Rgba32(0, 0, 0, 255));
        for (int y = h / 3; y < h / 2; y++) for (int x = w / 3; x < w / 2; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
        m.SaveAsPng(mask);
        return (photo, mask);
    }

    [Fact]
    public void RepairsAPhotoAndKeepsKnownPixels()
    {
        string dir = Fixture.TempDir();
        var (photo, mask) = Pair(dir, "a");
        string output = Path.Combine(dir, "out.png");
        var r = Run("repair", photo, "--mask", mask, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu", "-v");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("repaired", r.Out);
        Assert.Contains("mask rule Luminance", r.Err);
        Assert.Contains("provider: Cpu", r.Err);
        var files = new PhotoFile();
        using var before = files.Read(photo);
        using var after = files.Read(output);
        using var maskImage = files.Read(mask);
        Fixture.AssertKnownPixelsIdentical(before, after, MaskRule.Read(maskImage, before.Width, before.Height));
    }

    [Fact]
    public void VariantsAreWrittenBesideTheOutputNameAndDifferInTheHole()
    {
        string dir = Fixture.TempDir();
        var (photo, mask) = Pair(dir, "v", w: 160, h: 120, seed: 4);
        string output = Path.Combine(dir, "out.png");
        var r = Run("repair", photo, "--mask", mask, "-o", output, "--model", Fixture.FreeformModel, "--device", "cpu", "--variants", "2", "--fill", "texture");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("1 region with texture", r.Out);
        Assert.False(File.Exists(output));
        var files = new PhotoFile();
        using var first = files.Read(Path.Combine(dir, "out-1.png"));
        using var second = files.Read(Path.Combine(dir, "out-2.png"));
        int differ = 0;
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 160; x++)
                if (first[x, y] != second[x, y]) differ++;
        Assert.True(differ > 0, "two variants of a texture fill should differ");
        var bad = Run("repair", photo, "--mask", mask, "-o", output, "--model", Fixture.FreeformModel, "--fill", "blurry");
        Assert.Equal(ExitCodes.Usage, bad.Code);
        Assert.Contains("blurry", bad.Err);
        Assert.Equal(ExitCodes.Usage, Run("repair", photo, "--mask", mask, "-o", output, "--model", Fixture.FreeformModel, "--variants", "17").Code);
    }

    [Fact]
    public void AnInvertedOrAllWhiteMaskIsRefusedWithItsShareUnlessLargeHolesAreAllowed()
    {
        string dir = Fixture.TempDir();
        var (photo, mask) = Pair(dir, "a");
        string output = Path.Combine(dir, "out.png");
        // The pair's mask, inverted: most of the photo is a hole.
        var inverted = Run("repair", photo, "--mask", mask, "-o", output, "--invert-mask", "--model", Fixture.FreeformModel, "--device", "cpu");
        Assert.Equal(ExitCodes.BadInput, inverted.Code);
        Assert.Equal("error: the mask marks 97.1 % of the photo as holes, more than 60 % (white = repair): if white marks what to keep, use --invert-mask; " +
                     "to repair it anyway, --allow-large-holes", inverted.Err.Trim());
        Assert.False(File.Exists(output));
        var allowed = Run("repair", photo, "--mask", mask, "-o", output, "--invert-mask", "--allow-large-holes", "--model", Fixture.FreeformModel, "--device", "cpu");
        Assert.True(allowed.Code == 0, allowed.Err);
        string white = Path.Combine(dir, "white.png");
        using (var m = new Image<Rgba32>(96, 64, new Rgba32(255, 255, 255, 255))) m.SaveAsPng(white);
        var all = Run("repair", photo, "--mask", white, "-o", Path.Combine(dir, "all.png"), "--allow-large-holes", "--model", Fixture.FreeformModel, "--device", "cpu");
        Assert.Equal(ExitCodes.BadInput, all.Code);
        Assert.Contains("every pixel of the photo as a hole", all.Err);
        // A photo below the freeform model's smallest side: refused, not a grey pixel.
        string tiny = Path.Combine(dir, "tiny.png"), tinyMask = Path.Combine(dir, "tiny-mask.png");
        using (var p = Fixture.Photo(4, 4)) p.SaveAsPng(tiny);
        using (var m = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 0, 255))) { m[1, 1] = new Rgba32(255, 255, 255, 255); m.SaveAsPng(tinyMask); }
        var small = Run("repair", tiny, "--mask", tinyMask, "-o", Path.Combine(dir, "tiny-out.png"), "--model", Fixture.FreeformModel, "--device", "cpu");
        Assert.Equal(ExitCodes.BadInput, small.Code);
        Assert.Matches(@"^error: the photo is 4x4; this model repairs photos of at least \d+x\d+$", small.Err.Trim());
    }

    [Fact]
    public void BadInputsAreOneLineAndExitOne()
    {
        string dir = Fixture.TempDir();
        var (photo, mask) = Pair(dir, "a");
        void Bad((int Code, string Out, string Err) r, string text)
        {
            Assert.Equal(ExitCodes.BadInput, r.Code);
            Assert.Contains(text, r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
        string model = Fixture.TinyModel;
        Bad(Run("repair", "/nonexistent.png", "--mask", mask, "-o", Path.Combine(dir, "o.png"), "--model", model), "does not exist");
        Bad(Run("repair", photo, "--mask", mask, "-o", photo, "--model", model), "inputs are never overwritten");
        Bad(Run("repair", photo, "--mask", mask, "-o", Path.Combine(dir, "o.gif"), "--model", model), "must end in");
        Bad(Run("repair", photo, "--mask", mask, "-o", Path.Combine(dir, "o.png"), "--model", "/nonexistent.onnx"), "does not exist");
        // --device cuda: a clear refusal where CUDA cannot work, a repair on the GPU where it can.
        var cuda = Run("repair", photo, "--mask", mask, "-o", Path.Combine(dir, "cuda.png"), "--model", model, "--device", "cuda", "-v");
        if (MachineFacts.CudaMissing() is null) Assert.True(cuda.Code == 0 && cuda.Err.Contains("provider: Cuda"), cuda.Err);
        else Bad(cuda, "CUDA was requested");
        var (other, smallMask) = Pair(dir, "small", 40, 30);
        Bad(Run("repair", photo, "--mask", smallMask, "-o", Path.Combine(dir, "o.png"), "--model", model), "--resize-mask");
        Assert.Equal(0, Run("repair", photo, "--mask", smallMask, "-o", Path.Combine(dir, "o.png"), "--model", model, "--resize-mask").Code);
        File.WriteAllText(Path.Combine(dir, "junk.onnx"), "junk");
        Bad(Run("repair", photo, "--mask", mask, "-o", Path.Combine(dir, "o2.png"), "--model", Path.Combine(dir, "junk.onnx")), "cannot load the model");
        Assert.Equal(ExitCodes.Usage, Run("repair", photo, "--device", "tpu").Code);
        Assert.Equal(ExitCodes.Usage, Run("frobnicate").Code);
        Assert.False(File.Exists(Path.Combine(dir, "o2.png")));
    }

    [Fact]
    public void FolderModeSkipsBadFilesListsThemAndContinues()
    {
        string dir = Fixture.TempDir();
        Pair(dir, "one", seed: 1);
        Pair(dir, "two", seed: 2, ext: ".jpg");
        Pair(dir, "three", seed: 3);
        File.WriteAllText(Path.Combine(dir, "broken.png"), "not a png");
        File.Copy(Path.Combine(dir, "masks", "one.png"), Path.Combine(dir, "masks", "broken.png"));
        using (var wrong = new Image<Rgba32>(10, 10)) wrong.SaveAsPng(Path.Combine(dir, "masks", "three.png")); // wrong size
        using (var lonely = Fixture.Photo(20, 20)) lonely.SaveAsPng(Path.Combine(dir, "nomask.png"));
        string output = Path.Combine(dir, "out");

        var r = Run("repair", dir, "--masks", Path.Combine(dir, "masks"), "-o", output, "--model", Fixture.TinyModel, "--device", "cpu");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Contains("2 repaired, 0 skipped (output exists), 3 failed", r.Out);
        // Not a terminal: a progress line per photo, never a carriage return (which would litter a log file).
        Assert.DoesNotContain("\r", r.Out);
        Assert.Contains("[1/5] broken.png" + Environment.NewLine, r.Out);
        Assert.Contains("failed: broken.png", r.Err);
        Assert.Contains("failed: three.png", r.Err);
        Assert.Contains("failed: nomask.png: no mask", r.Err);
        Assert.True(File.Exists(Path.Combine(output, "one.png")));
        Assert.Equal("JPEG", Image.DetectFormat(Path.Combine(output, "two.jpg"))!.Name);

        var again = Run("repair", dir, "--masks", Path.Combine(dir, "masks"), "-o", output, "--model", Fixture.TinyModel, "--device", "cpu", "--skip-existing");
        Assert.Contains("0 repaired, 2 skipped", again.Out);
        Assert.Contains("must differ", Run("repair", dir, "--masks", Path.Combine(dir, "masks"), "-o", dir, "--model", Fixture.TinyModel).Err);
    }

    [Fact]
    public void InfoShowsTheContractAndProviders()
    {
        var r = Run("info", Fixture.TinyModel);
        Assert.Equal(0, r.Code);
        Assert.Contains("contract:     inpaint/1", r.Out);
        Assert.Contains("architecture: tiny", r.Out);
        Assert.Contains("CPUExecutionProvider", r.Out);
    }
}
