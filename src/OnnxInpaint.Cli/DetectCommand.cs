using System.CommandLine;
using System.Diagnostics;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Cli;

/// <summary>
/// <c>inpaint detect PHOTO -o MASK.png</c>: finds the damage in a photo and writes it as a mask (white = damage, the
/// project's mask convention, so it can be edited and given to <c>repair --mask</c>); folder mode
/// <c>inpaint detect DIR -o DIR</c> writes NAME.png for each photo.
/// </summary>
internal static class DetectCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var input = new Argument<string>("photo") { Description = "A photo, or a folder of photos" };
        var output = new Option<string>("--output", "-o") { Description = "The mask to write (PNG), or a folder in folder mode", Required = true };
        var grow = RepairSettings.Grow.ToOption("Grow the detected damage by this many pixels");
        var device = RepairOptionSet.DeviceOption();
        var deviceId = RepairSettings.DeviceId.ToOption();
        var threads = RepairSettings.Threads.ToOption();
        var maxPixels = RepairSettings.MaxPixels.ToOption();
        var detector = new DetectorOptionSet();
        var command = new Command("detect", "Finds scratches, dust, captions and other damage in a photo and writes them as a mask (white = damage)")
        {
            input, output, grow, device, deviceId, threads, maxPixels,
        };
        detector.AddTo(command);
        command.SetAction(p =>
        {
            bool verbose = p.GetValue(InpaintCli.Verbose);
            string photoPath = p.GetValue(input)!, outPath = p.GetValue(output)!;
            bool folder = Directory.Exists(photoPath);
            if (!folder && !File.Exists(photoPath)) throw new UserError($"'{photoPath}' does not exist");
            if (!folder && !string.Equals(Path.GetExtension(outPath), ".png", StringComparison.OrdinalIgnoreCase))
                throw new UserError($"the mask '{outPath}' must end in .png (a mask is kept exactly)");
            if (!folder && Path.GetFullPath(outPath) == Path.GetFullPath(photoPath)) throw new UserError($"the output '{outPath}' is the photo (inputs are never overwritten)");
            using DamageDetector loaded = detector.Load(p, p.GetValue(device)!, p.GetValue(deviceId), p.GetValue(threads), verbose ? line => stderr.WriteLine(line) : null);
            var job = new DetectJob(new PhotoFile(p.GetValue(maxPixels)), loaded, detector.Threshold(p, loaded), p.GetValue(grow));
            return folder ? DetectFolder(job, photoPath, outPath, stdout, stderr, cancellation) : DetectOne(job, photoPath, outPath, stdout, cancellation);
        });
        return command;
    }

    private static int DetectOne(DetectJob job, string photo, string output, TextWriter stdout, CancellationToken cancellation)
    {
        var timer = Stopwatch.StartNew();
        HoleMap holes = job.Run(photo, output, cancellation);
        stdout.WriteLine($"detected {holes.Count:N0} damage pixels ({100 * holes.Share:0.00} % of the photo) in {photo} -> {output} " +
                         $"(threshold {job.Threshold:0.##}, {timer.Elapsed.TotalSeconds:F2} s)");
        return ExitCodes.Ok;
    }

    private static int DetectFolder(DetectJob job, string photos, string output, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (Path.GetFullPath(output).TrimEnd('/') == Path.GetFullPath(photos).TrimEnd('/'))
            throw new UserError("the output folder must differ from the photo folder (inputs are never overwritten)");
        Directory.CreateDirectory(output);
        PhotoFile.RemoveStaleTemporaryFiles(output);
        var inputs = Directory.EnumerateFiles(photos).Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (inputs.Count == 0) throw new UserError($"'{photos}' holds no photos ({PhotoFile.ExtensionNames})");
        var failures = new List<(string File, string Reason)>();
        var timer = Stopwatch.StartNew();
        for (int i = 0; i < inputs.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            string name = Path.GetFileName(inputs[i]);
            try
            {
                HoleMap holes = job.Run(inputs[i], Path.Combine(output, Path.GetFileNameWithoutExtension(name) + ".png"), cancellation);
                stdout.WriteLine($"[{i + 1}/{inputs.Count}] {name}: {100 * holes.Share:0.00} % damage");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                failures.Add((name, e.Message));
            }
        }
        stdout.WriteLine($"{inputs.Count - failures.Count} masks written, {failures.Count} failed, in {timer.Elapsed.TotalSeconds:F1} s; masks in {output}");
        foreach (var (file, reason) in failures) stderr.WriteLine($"failed: {file}: {reason}");
        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    /// <summary>One photo: read, detect, grow, write the mask.</summary>
    private sealed record DetectJob(PhotoFile Files, DamageDetector Detector, double Threshold, int Grow)
    {
        public HoleMap Run(string photoPath, string output, CancellationToken cancellation)
        {
            using Image<Rgba32> photo = Files.Read(photoPath);
            HoleMap holes = Detector.Detect(photo, Threshold, cancellation).Grow(Grow);
            PhotoDamage.SaveMask(holes.Holes, holes.Width, holes.Height, output);
            return holes;
        }
    }
}
