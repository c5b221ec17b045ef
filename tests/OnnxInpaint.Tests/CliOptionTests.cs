using Inpaint.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>Option ranges, messages that name what the user gave, and the exit codes 2 and 3.</summary>
public class CliOptionTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static (string Photo, string Mask, string Dir) Pair()
    {
        string dir = Fixture.TempDir();
        string photo = Path.Combine(dir, "p.png"), mask = Path.Combine(dir, "m.png");
        using (var image = Fixture.Photo(48, 40)) image.SaveAsPng(photo);
        using var m = new Image<Rgba32>(48, 40, new Rgba32(0, 0, 0, 255));
        for (int y = 10; y < 20; y++) for (int x = 10; x < 20; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
        m.SaveAsPng(mask);
        return (photo, mask, dir);
    }

    [Theory]
    [InlineData("--jpeg-quality", "500", "between 1 and 100")]
    [InlineData("--jpeg-quality", "0", "between 1 and 100")]
    [InlineData("--feather", "-5", "between 0 and 256")]
    [InlineData("--max-magnification", "0", "between 0.1 and 16")]
    [InlineData("--max-magnification", "-1.5", "between 0.1 and 16")]
    [InlineData("--min-cell", "-10", "between 0 and 4096")]
    [InlineData("--threads", "-3", "between 0 and 1024")]
    [InlineData("--max-pixels", "-1", "between 1 and 2,147,483,647")]
    [InlineData("--max-pixels", "0", "between 1 and 2,147,483,647")]
    [InlineData("--batch", "0", "between 1 and 1024")]
    [InlineData("--device-id", "-1", "between 0 and 255")]
    [InlineData("--group-distance", "-2", "between -1 and 1000")]
    public void EveryNumericOptionIsRangeChecked(string option, string value, string range)
    {
        var (photo, mask, dir) = Pair();
        string output = Path.Combine(dir, "out.png");
        var r = Run("repair", photo, "--mask", mask, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu", option, value);
        Assert.Equal(ExitCodes.Usage, r.Code);
        string line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {option} must be {range}", line);
        Assert.Contains($"got {value}", line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void TheEdgesOfEachRangeAreAccepted()
    {
        var (photo, mask, dir) = Pair();
        string output = Path.Combine(dir, "out.jpg");
        var r = Run("repair", photo, "--mask", mask, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu",
            "--jpeg-quality", "1", "--feather", "0", "--max-magnification", "16", "--min-cell", "0", "--threads", "1", "--max-pixels", "1920", "--batch", "1");
        Assert.True(r.Code == 0, r.Err);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void AMaskThatIsAFolderIsCalledAFolder()
    {
        var (photo, _, dir) = Pair();
        string folder = Path.Combine(dir, "masks");
        Directory.CreateDirectory(folder);
        var r = Run("repair", photo, "--mask", folder, "-o", Path.Combine(dir, "o.png"), "--model", Fixture.TinyModel, "--device", "cpu");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Equal($"error: the mask '{folder}' is a folder, not an image (a folder of masks goes with a folder of photos){Environment.NewLine}", r.Err);
    }

    [Fact]
    public void MaxPixelsRefusesFromTheHeaderAndNamesTheFile()
    {
        var (photo, mask, dir) = Pair();
        var r = Run("repair", photo, "--mask", mask, "-o", Path.Combine(dir, "o.png"), "--model", Fixture.TinyModel, "--device", "cpu", "--max-pixels", "1919");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Equal($"error: '{photo}' is 48x40, above the limit of 1,919 pixels{Environment.NewLine}", r.Err);
    }

    [Fact]
    public void AnUnexpectedExceptionIsExitThreeWithOneLineAndDetailsOnlyWhenVerbose()
    {
        var (photo, mask, dir) = Pair();
        string[] args = ["repair", photo, "--mask", mask, "-o", Path.Combine(dir, "o.png"), "--model", Fixture.TinyModel];
        try
        {
            InpaintCli.InjectedFault = new NullReferenceException("provoked by the test");
            var quiet = Run(args);
            Assert.Equal(ExitCodes.Internal, quiet.Code);
            Assert.Equal(["internal error: NullReferenceException: provoked by the test", "run again with --verbose for details"],
                quiet.Err.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
            var verbose = Run([.. args, "--verbose"]);
            Assert.Equal(ExitCodes.Internal, verbose.Code);
            Assert.Contains("   at ", verbose.Err); // the stack trace, asked for
        }
        finally
        {
            InpaintCli.InjectedFault = null;
        }
        Assert.Equal(0, Run(args).Code);
    }

    [Fact]
    public void ParseErrorsAreOneLineEach()
    {
        var r = Run("repair", "x.png", "--frobnicate");
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.All(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("error: ", line));
    }
}
