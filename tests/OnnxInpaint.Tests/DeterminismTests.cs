using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Inpaint.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// Same input, same output, always: a folder of photos in the four formats, with damaged ones among them (a
/// truncated WebP once came out different on one of eight runs), repaired three times in this process and twice
/// by separate <c>inpaint</c> processes; every output byte and every message must agree.
/// </summary>
public class DeterminismTests
{
    [Fact]
    public void RepairsAndRefusalsAreTheSameInOneProcessAndAcrossProcesses()
    {
        string dir = Fixture.TempDir(), photos = Path.Combine(dir, "photos"), masks = Path.Combine(dir, "masks");
        Directory.CreateDirectory(photos);
        Directory.CreateDirectory(masks);
        for (int i = 0; i < 4; i++)
        {
            string ext = new[] { ".png", ".jpg", ".bmp", ".webp" }[i];
            using var photo = Fixture.Photo(150 + 10 * i, 110, seed: i);
            photo.Save(Path.Combine(photos, $"p{i}{ext}"));
            using var mask = new Image<Rgba32>(150 + 10 * i, 110, new Rgba32(0, 0, 0, 255));
            for (int y = 30; y < 60; y++) for (int x = 40; x < 75; x++) mask[x, y] = new Rgba32(255, 255, 255, 255);
            for (int x = 0; x < 150; x++) mask[x, (x / 3 + 70) % 110] = new Rgba32(255, 255, 255, 255);
            mask.SaveAsPng(Path.Combine(masks, $"p{i}.png"));
        }
        using (var photo = Fixture.Photo(150, 110, seed: 9))
        {
            using var stream = new MemoryStream();
            photo.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
            File.WriteAllBytes(Path.Combine(photos, "cut.webp"), stream.ToArray()[..(int)(stream.Length / 2)]);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "damaged", "scratches-q90-byte90.jpg"), Path.Combine(photos, "crash.jpg"));
        File.Copy(Path.Combine(masks, "p0.png"), Path.Combine(masks, "cut.png"));
        File.Copy(Path.Combine(masks, "p0.png"), Path.Combine(masks, "crash.png"));

        var runs = new List<(string Name, string Messages, Dictionary<string, string> Outputs)>();
        for (int run = 0; run < 3; run++)
        {
            string output = Path.Combine(dir, $"in-process-{run}");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = InpaintCli.Run(["repair", photos, "--masks", masks, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu"], stdout, stderr);
            Assert.Equal(ExitCodes.BadInput, code);
            runs.Add(($"in-process run {run}", Messages(stdout.ToString(), stderr.ToString()), Hashes(output)));
        }
        for (int run = 0; run < 2; run++)
        {
            string output = Path.Combine(dir, $"process-{run}");
            var r = CliProcess.Run("repair", photos, "--masks", masks, "-o", output, "--model", Fixture.TinyModel, "--device", "cpu");
            Assert.Equal(ExitCodes.BadInput, r.Code);
            runs.Add(($"process {run}", Messages(r.Out, r.Err), Hashes(output)));
        }
        var first = runs[0];
        Assert.Equal(4, first.Outputs.Count);
        Assert.Contains("4 repaired, 0 skipped (output exists), 2 failed", first.Messages);
        Assert.Contains("failed: cut.webp: ", first.Messages);
        Assert.Contains("failed: crash.jpg: ", first.Messages);
        foreach (var other in runs.Skip(1))
        {
            Assert.True(first.Messages == other.Messages, $"messages of {other.Name} differ:\n{first.Messages}\n---\n{other.Messages}");
            Assert.Equal(first.Outputs, other.Outputs);
        }
    }

    /// <summary>The summary and the failures, with the timing and the output folder taken out.</summary>
    private static string Messages(string stdout, string stderr)
    {
        string summary = stdout.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Last();
        return Regex.Replace(summary, @", in [\d.]+ s; outputs in .*$", "") + "\n" + stderr;
    }

    private static Dictionary<string, string> Hashes(string folder) => Directory.GetFiles(folder)
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
