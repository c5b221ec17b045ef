using System.Diagnostics;
using Inpaint.Cli;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// Outputs are written atomically: a killed or interrupted run, a full or read-only disk, never leave a partial
/// output, and never damage an output that was already there.
/// </summary>
public class CrashSafetyTests
{
    private const int Photos = 12;

    /// <summary>A folder of photos with scratch masks, big enough that a run takes a few seconds.</summary>
    private static (string Photos, string Masks, string Output) Folder()
    {
        string dir = Fixture.TempDir(), photos = Path.Combine(dir, "photos"), masks = Path.Combine(dir, "masks");
        Directory.CreateDirectory(photos);
        Directory.CreateDirectory(masks);
        for (int i = 0; i < Photos; i++)
        {
            using (var photo = Fixture.Photo(360, 270, seed: i)) photo.SaveAsPng(Path.Combine(photos, $"p{i:D2}.png"));
            using var mask = new Image<Rgba32>(360, 270, new Rgba32(0, 0, 0, 255));
            for (int k = 0; k < 12; k++)
                for (int x = 0; x < 360; x++)
                {
                    int y = (k * 23 + x * (k + 1) / 7 + i) % 270;
                    mask[x, y] = new Rgba32(255, 255, 255, 255);
                }
            mask.SaveAsPng(Path.Combine(masks, $"p{i:D2}.png"));
        }
        return (photos, masks, Path.Combine(dir, "out"));
    }

    private static string[] Args((string Photos, string Masks, string Output) f, params string[] more) =>
        ["repair", f.Photos, "--masks", f.Masks, "-o", f.Output, "--model", Fixture.TinyModel, "--device", "cpu", "--batch", "1", .. more];

    /// <summary>Every visible file in the output folder is a whole repair of its photo (it decodes, and known pixels are the input's).</summary>
    private static int AssertOutputsComplete((string Photos, string Masks, string Output) f)
    {
        var files = new PhotoFile();
        int complete = 0;
        foreach (string output in Directory.GetFiles(f.Output).Where(p => !Path.GetFileName(p).StartsWith('.')))
        {
            string name = Path.GetFileName(output);
            using var before = files.Read(Path.Combine(f.Photos, name));
            using var after = files.Read(output); // a partial file would be refused here as truncated
            using var mask = files.Read(Path.Combine(f.Masks, name));
            Fixture.AssertKnownPixelsIdentical(before, after, MaskRule.Read(mask, before.Width, before.Height));
            complete++;
        }
        // A kill can leave the hidden temporary file of the photo in progress, never anything with an output's name.
        Assert.All(Directory.GetFiles(f.Output).Where(p => Path.GetFileName(p).StartsWith('.')), p => Assert.EndsWith(".tmp", p));
        return complete;
    }

    /// <summary>Starts a folder run and waits until it has written <paramref name="outputs"/> outputs, still running.</summary>
    private static Process StartAndWaitFor((string Photos, string Masks, string Output) f, int outputs, params string[] more)
    {
        Process child = CliProcess.Start(Args(f, more));
        var timer = Stopwatch.StartNew();
        while (!Directory.Exists(f.Output) || Directory.GetFiles(f.Output).Count(p => !Path.GetFileName(p).StartsWith('.')) < outputs)
        {
            if (child.HasExited) Assert.Fail($"inpaint finished (exit {child.ExitCode}) before it could be stopped: {child.StandardError.ReadToEnd()}");
            Assert.True(timer.Elapsed < TimeSpan.FromMinutes(2), "no output after 2 minutes");
            Thread.Sleep(5);
        }
        return child;
    }

    [Fact]
    public void KillNineMidRunLeavesNoPartialOutputAndSkipExistingFinishesTheJob()
    {
        var f = Folder();
        for (int round = 0; round < 2; round++)
        {
            using Process child = StartAndWaitFor(f, 2 + 4 * round, "--skip-existing");
            Thread.Sleep(30 * round); // kill at another moment of a photo's read-repair-write cycle
            bool runningAtKill = !child.HasExited;
            child.Kill(); // SIGKILL: no handler runs
            child.WaitForExit();
            int complete = AssertOutputsComplete(f);
            Assert.True(runningAtKill && complete < Photos, $"round {round}: running at kill {runningAtKill}, exit {child.ExitCode}, {complete} complete outputs");
        }
        var finish = CliProcess.Run(Args(f, "--skip-existing"));
        Assert.True(finish.Code == 0, finish.Err);
        Assert.Equal(Photos, AssertOutputsComplete(f));
        // The hidden temporary files the kills left are gone too.
        Assert.Empty(Directory.GetFiles(f.Output, ".*"));
    }

    [Fact]
    public async Task SigtermStopsAFolderRunWithExit130AndCompleteOutputs()
    {
        var f = Folder();
        using Process child = StartAndWaitFor(f, 2);
        Task<string> stdout = child.StandardOutput.ReadToEndAsync(), stderr = child.StandardError.ReadToEndAsync();
        MachineFacts.Signal(child, 15);
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(60)), "inpaint did not stop within 60 s of SIGTERM");
        Assert.Equal(ExitCodes.Interrupted, child.ExitCode);
        Assert.Matches(@"interrupted after \d+ repaired, 0 skipped, 0 failed; '--skip-existing' continues from here", await stdout);
        Assert.Equal($"interrupted{Environment.NewLine}", await stderr);
        Assert.InRange(AssertOutputsComplete(f), 2, Photos - 1);
        Assert.Empty(Directory.GetFiles(f.Output, ".*")); // cancelled between or inside repairs, never mid-write
    }

    [Fact]
    public void OnlyTemporaryFilesOfProcessesThatAreGoneAreRemoved()
    {
        string dir = Fixture.TempDir();
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        string stale = Path.Combine(dir, $".a.png.{gone.Id}.1.tmp"), mine = Path.Combine(dir, $".b.png.{Environment.ProcessId}.1.tmp");
        string other = Path.Combine(dir, ".notes.tmp"), output = Path.Combine(dir, "c.png");
        foreach (string file in new[] { stale, mine, other, output }) File.WriteAllBytes(file, [1]);
        Assert.Equal(1, PhotoFile.RemoveStaleTemporaryFiles(dir));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(mine) && File.Exists(other) && File.Exists(output));
    }

    [Fact]
    public void AFailedWriteLeavesTheExistingOutputAndNamesIt()
    {
        // Without root: a folder where the temporary file would go makes the write fail after the output existed.
        string dir = Fixture.TempDir(), output = Path.Combine(dir, "out.png");
        File.WriteAllBytes(output, [1, 2, 3]);
        string temp = Path.Combine(dir, $".out.png.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        Directory.CreateDirectory(temp);
        using var image = Fixture.Photo(20, 10);
        var e = Assert.Throws<IOException>(() => new PhotoFile().Write(image, output));
        Assert.StartsWith($"cannot write '{output}': ", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(output));
    }

    [RootFact]
    public void AFullAndAReadOnlyDiskAreOneLineNamingTheOutputAndLeaveTheOldOutput()
    {
        string dir = Fixture.TempDir(), disk = Path.Combine(dir, "disk");
        Directory.CreateDirectory(disk);
        string photo = Path.Combine(dir, "photo.png"), mask = Path.Combine(dir, "mask.png"), output = Path.Combine(disk, "out.png");
        using (var image = Fixture.Photo(300, 200)) image.SaveAsPng(photo);
        using (var m = new Image<Rgba32>(300, 200, new Rgba32(0, 0, 0, 255)))
        {
            for (int y = 80; y < 120; y++) for (int x = 100; x < 160; x++) m[x, y] = new Rgba32(255, 255, 255, 255);
            m.SaveAsPng(mask);
        }
        Tool("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk);
        try
        {
            byte[] old = File.ReadAllBytes(mask);
            File.WriteAllBytes(output, old);
            using (var filler = new FileStream(Path.Combine(disk, "filler"), FileMode.Create))
            {
                var block = new byte[4096];
                try { while (true) { filler.Write(block); filler.Flush(); } }
                catch (IOException) { } // full
            }
            string[] args = ["repair", photo, "--mask", mask, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu"];
            var full = Cli(args);
            Assert.Equal(ExitCodes.BadInput, full.Code);
            Assert.Equal($"error: cannot write '{output}': the disk is full{Environment.NewLine}", full.Err);
            Assert.Equal(old, File.ReadAllBytes(output));
            Assert.Equal(["filler", "out.png"], Directory.GetFiles(disk).Select(p => Path.GetFileName(p)).Order().ToArray());

            File.Delete(Path.Combine(disk, "filler"));
            Tool("mount", "-o", "remount,ro", disk);
            var readOnly = Cli(args);
            Assert.Equal(ExitCodes.BadInput, readOnly.Code);
            Assert.Equal($"error: cannot write '{output}': the file system is read-only{Environment.NewLine}", readOnly.Err);
            Assert.Equal(old, File.ReadAllBytes(output));
        }
        finally
        {
            Tool("umount", "-l", disk);
        }
    }

    private static (int Code, string Err) Cli(string[] args)
    {
        var stderr = new StringWriter();
        int code = InpaintCli.Run(args, new StringWriter(), stderr);
        return (code, stderr.ToString());
    }

    private static void Tool(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {error}");
    }
}
