using Inpaint.Cli;
using Inpaint.Cli.Evaluation;
using OpenCvSharp;
using SixLabors.ImageSharp;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// OpenCV (GTK 3 on Linux) is needed only by <c>inpaint eval</c>. Each test takes the path this machine offers:
/// where OpenCV loads, the baselines must really inpaint; where it does not, eval must fail with one line naming
/// the missing library and the package, exit 1. Neither path is skipped.
/// </summary>
public class OpenCvBaselineTests
{
    [Fact]
    public void BaselinesInpaintWhereOpenCvLoadsElseEvalSaysWhatIsMissing()
    {
        if (OpenCvBaselines.TryLoad(out string reason))
        {
            Assert.Equal("", reason);
            // A linear ramp with a white 8x8 hole: both methods must bring the hole back close to the ramp.
            const int w = 32, h = 32;
            var truth = new byte[3 * w * h];
            var holes = new bool[w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    truth[3 * i] = (byte)(x * 6);
                    truth[3 * i + 1] = (byte)(y * 6);
                    truth[3 * i + 2] = 128;
                    holes[i] = x is >= 12 and < 20 && y is >= 12 and < 20;
                }
            var damaged = (byte[])truth.Clone();
            for (int i = 0; i < holes.Length; i++) if (holes[i]) damaged[3 * i] = damaged[3 * i + 1] = damaged[3 * i + 2] = 255;
            foreach (var method in new[] { InpaintTypes.Telea, InpaintTypes.NS })
            {
                byte[] result = OpenCvBaselines.Inpaint(damaged, holes, w, h, method, 3);
                double error = 0;
                for (int i = 0; i < holes.Length; i++)
                    for (int c = 0; c < 3; c++)
                    {
                        if (!holes[i]) Assert.Equal(truth[3 * i + c], result[3 * i + c]);
                        else error += Math.Abs(truth[3 * i + c] - result[3 * i + c]);
                    }
                // The white damage is 130 grey levels off on average; a real fill of a ramp is within a few.
                Assert.True(error / (3 * 64) < 8, $"{method}: mean error {error / (3 * 64):F1} grey levels in the hole");
            }
        }
        else
        {
            AssertExplains(reason);
            string dir = Fixture.TempDir();
            using (var photo = Fixture.Photo(64, 64)) photo.Save(Path.Combine(dir, "p.png"));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = InpaintCli.Run(["eval", "--images", dir, "--model", Fixture.TinyModel, "--device", "cpu"], stdout, stderr);
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Equal($"error: {reason}{Environment.NewLine}", stderr.ToString());
        }
    }

    [Theory]
    [InlineData(XPhotoMethod.FsrFast)]
    [InlineData(XPhotoMethod.ShiftMap)]
    public void XPhotoKeepsKnownPixelsAndFillsASmallHoleLikeItsSurroundingsWhereOpenCvLoads(XPhotoMethod method)
    {
        if (!OpenCvBaselines.TryLoad(out string reason))
        {
            // Without OpenCV, eval refuses the xphoto baselines alone too, with the same line.
            AssertExplains(reason);
            string dir = Fixture.TempDir();
            using (var photo = Fixture.Photo(64, 64)) photo.Save(Path.Combine(dir, "p.png"));
            var stderr = new StringWriter();
            Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["eval", "--images", dir, "--model", Fixture.TinyModel, "--device", "cpu", "--cv-radius", "", "--cv-xphoto", "fsr"], new StringWriter(), stderr));
            Assert.Equal($"error: {reason}{Environment.NewLine}", stderr.ToString());
            return;
        }
        // A smooth colour pattern, periodic (8 px) both ways, with noise, and a white 10x10 hole: FSR reconstructs its
        // frequencies, shift-map copies it from a period away; either lands within a few grey levels.
        const int w = 64, h = 64;
        var rng = new Random(3);
        var truth = new byte[3 * w * h];
        var holes = new bool[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                truth[3 * i] = (byte)(110 + 40 * Math.Sin(2 * Math.PI * x / 8) + rng.Next(4));
                truth[3 * i + 1] = (byte)(120 + 40 * Math.Cos(2 * Math.PI * y / 8) + rng.Next(4));
                truth[3 * i + 2] = (byte)(90 + x + rng.Next(4));
                holes[i] = x is >= 27 and < 37 && y is >= 27 and < 37;
            }
        var damaged = (byte[])truth.Clone();
        for (int i = 0; i < holes.Length; i++) if (holes[i]) damaged[3 * i] = damaged[3 * i + 1] = damaged[3 * i + 2] = 255;
        byte[] result = OpenCvBaselines.InpaintXPhoto(damaged, holes, w, h, method);
        double error = 0;
        int changed = 0;
        for (int i = 0; i < holes.Length; i++)
            for (int c = 0; c < 3; c++)
            {
                if (!holes[i]) Assert.Equal(damaged[3 * i + c], result[3 * i + c]);
                else
                {
                    error += Math.Abs(truth[3 * i + c] - result[3 * i + c]);
                    if (result[3 * i + c] != 255) changed++;
                }
            }
        // The white damage is about 130 grey levels off; a fill from the surroundings is within a few.
        Assert.True(changed > 250, $"{method}: only {changed} of 300 hole values were filled");
        Assert.True(error / 300 < 12, $"{method}: mean error {error / 300:F1} grey levels in the hole");
    }

    [Fact]
    public void XPhotoNamesAndTheOptionAreChecked()
    {
        Assert.Equal(["opencv xphoto fsr-fast", "opencv xphoto shift-map"], EvalMethod.XPhoto([XPhotoMethod.FsrFast, XPhotoMethod.ShiftMap]).Select(m => m.Name));
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, InpaintCli.Run(["eval", "--images", Fixture.TempDir(), "--cv-xphoto", "fsr,telea", "--model", Fixture.TinyModel], new StringWriter(), stderr));
        Assert.Contains("--cv-xphoto 'telea' is not an xphoto method (fsr, shiftmap)", stderr.ToString());
    }

    [Fact]
    public void TheMessageNamesTheLibraryTheLoaderMissedAndThePackage()
    {
        // What .NET reports when dlopen fails: one line per probed location, then (or among them) the dependency.
        const string probes = "Unable to load shared library 'OpenCvSharpExtern' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n" +
                              "/app/runtimes/linux-x64/native/OpenCvSharpExtern.so: cannot open shared object file: No such file or directory\n";
        // A fresh machine without GTK 3.
        string fresh = OpenCvBaselines.Explain(new TypeInitializationException("OpenCvSharp.Internal.NativeMethods",
            new DllNotFoundException(probes + "libgtk-3.so.0: cannot open shared object file: No such file or directory\n/usr/lib/libOpenCvSharpExtern.so: cannot open shared object file: No such file or directory")));
        AssertExplains(fresh);
        Assert.Contains("libgtk-3.so.0 is missing", fresh);
        Assert.Contains("apt-get install libgtk-3-0", fresh);
        // GTK 3 hidden by a bind mount of /dev/null (how this is simulated as root).
        string hidden = OpenCvBaselines.Explain(new DllNotFoundException(probes + "/lib/x86_64-linux-gnu/libgtk-3.so.0: file too short"));
        Assert.Contains("libgtk-3.so.0 is missing", hidden);
        // Another dependency is named as such.
        string other = OpenCvBaselines.Explain(new DllNotFoundException(probes + "libtiff.so.6: cannot open shared object file: No such file or directory"));
        Assert.Contains("libtiff.so.6 is missing", other);
    }

    private static void AssertExplains(string line)
    {
        Assert.DoesNotContain('\n', line);
        Assert.Matches(@"lib[\w.+-]+\.so", line);
        Assert.Contains(OpenCvBaselines.GtkPackage, line);
        Assert.Contains("inpaint eval", line);
    }
}
