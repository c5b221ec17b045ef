using System.CommandLine;
using System.Diagnostics;
using Inpaint.OnnxInpaint;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Inpaint.Contract;

namespace Inpaint.Cli;

/// <summary>
/// <c>inpaint repair PHOTO --mask MASK -o OUT</c>, or folder mode <c>inpaint repair DIR --masks DIR -o DIR</c>
/// (masks matched by file name without extension; each output in its input's format).
/// </summary>
internal static class RepairCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var input = new Argument<string>("photo") { Description = "A photo, or a folder of photos" };
        var mask = new Option<string?>("--mask", "--masks", "-m") { Description = "The mask (white = repair), or a folder of masks named like the photos" };
        var output = new Option<string>("--output", "-o") { Description = "Output file, or folder in folder mode", Required = true };
        var model = new Option<string?>("--model") { Description = $"Inpaint ONNX model (default: models/{ModelLocator.DefaultModelName})" };
        var device = new Option<string>("--device") { Description = "auto (CUDA if usable, else CPU), cpu or cuda (no fallback)", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var deviceId = new Option<int>("--device-id") { Description = "CUDA device ordinal", DefaultValueFactory = _ => 0 }.InRange(0, 255);
        var threads = new Option<int>("--threads") { Description = "CPU threads per model call (0: ONNX Runtime's default)", DefaultValueFactory = _ => 0 }.InRange(0, 1024, "0: ONNX Runtime's default");
        var batch = new Option<int>("--batch") { Description = "Windows per model call", DefaultValueFactory = _ => 8 }.InRange(1, 1024);
        var invert = new Option<bool>("--invert-mask") { Description = "Black = repair instead" };
        var resizeMask = new Option<bool>("--resize-mask") { Description = "Scale a mask of another size to the photo (nearest neighbour)" };
        var dilate = new Option<int>("--group-distance") { Description = "Centre-patch models only: group holes closer than this many pixels so they share windows (-1: an eighth of the model's blank square; only hole pixels change)", DefaultValueFactory = _ => -1 }.InRange(-1, 1000, "-1: automatic");
        var feather = new Option<int>("--feather") { Description = "Blend width between neighbouring windows, pixels", DefaultValueFactory = _ => 4 }.InRange(0, 256);
        var magnification = new Option<double>("--max-magnification") { Description = "Centre-patch models only: most a small hole's window is magnified (model px per image px)", DefaultValueFactory = _ => new PlannerOptions().MaxMagnification }.InRange(0.1, 16.0);
        var minCell = new Option<int>("--min-cell") { Description = "Centre-patch models only: smallest cell when long holes are cut into windows (0: half the model's blank square)", DefaultValueFactory = _ => 0 }.InRange(0, 4096, "0: half the model's blank square");
        var grow = new Option<int>("--grow") { Description = "Grow the holes by this many pixels first: use it when the mask misses the soft rim of text or scratches", DefaultValueFactory = _ => 0 }.InRange(0, 256);
        var tile = new Option<int>("--tile") { Description = "Free-form models only: side of the tiles a photo is cut into (0: twice the model's training tile)", DefaultValueFactory = _ => 0 }.InRange(0, 4096, "0: twice the model's training tile");
        var contextMargin = new Option<int>("--context") { Description = "Free-form models only: known pixels each tile carries around its core (0: the model's own)", DefaultValueFactory = _ => 0 }.InRange(0, 1024, "0: the model's own");
        var quality = new Option<int>("--jpeg-quality") { Description = "Quality of JPEG outputs", DefaultValueFactory = _ => 95 }.InRange(1, 100);
        var skip = new Option<bool>("--skip-existing") { Description = "Folder mode: leave photos whose output exists (continue an interrupted run)" };
        var maxPixels = new Option<long>("--max-pixels") { Description = "Refuse images with more pixels than this (checked from the header, before decoding)", DefaultValueFactory = _ => 100_000_000 }.InRange(1L, int.MaxValue);
        var command = new Command("repair", "Repairs a photo (or a folder of photos) where the mask is white")
        {
            input, mask, output, model, device, deviceId, threads, batch, invert, resizeMask, grow, dilate, feather, magnification, minCell, tile, contextMargin,
            quality, skip, maxPixels,
        };
        command.SetAction(p =>
        {
            bool verbose = p.GetValue(InpaintCli.Verbose);
            string photoPath = p.GetValue(input)!, outPath = p.GetValue(output)!;
            string maskPath = p.GetValue(mask) ?? throw new UserError("--mask is required (a mask image, or a folder of masks in folder mode)");
            var files = new PhotoFile(p.GetValue(maxPixels)) { JpegQuality = p.GetValue(quality) };
            var job = new RepairJob(files, p.GetValue(invert), p.GetValue(resizeMask), p.GetValue(grow),
                new RepairOptions
                {
                    Dilation = p.GetValue(dilate), Tile = p.GetValue(tile), Context = p.GetValue(contextMargin),
                    Planner = new PlannerOptions { Feather = p.GetValue(feather), MaxMagnification = p.GetValue(magnification), MinCell = p.GetValue(minCell) },
                });
            Action<string>? log = verbose ? line => stderr.WriteLine(line) : null;
            bool folder = Directory.Exists(photoPath);
            if (!folder && !File.Exists(photoPath)) throw new UserError($"'{photoPath}' does not exist");
            using InpaintModel loaded = InpaintCli.LoadModel(p.GetValue(model), p.GetValue(device)!, p.GetValue(deviceId), p.GetValue(threads), p.GetValue(batch), log);
            if (verbose) stderr.WriteLine($"provider: {loaded.ActiveExecutionProvider}{(loaded.FallbackReason is null ? "" : $" ({loaded.FallbackReason})")}");
            return folder
                ? RepairFolder(job, loaded, photoPath, maskPath, outPath, p.GetValue(skip), verbose, stdout, stderr, cancellation)
                : RepairOne(job, loaded, photoPath, maskPath, outPath, verbose, stdout, stderr, cancellation);
        });
        return command;
    }

    private static int RepairOne(RepairJob job, InpaintModel model, string photo, string mask, string output, bool verbose,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (Directory.Exists(mask)) throw new UserError($"the mask '{mask}' is a folder, not an image (a folder of masks goes with a folder of photos)");
        if (!File.Exists(mask)) throw new UserError($"mask '{mask}' does not exist");
        GuardOutput(output, photo, mask);
        var timer = Stopwatch.StartNew();
        var report = job.Run(model, photo, mask, output, cancellation, verbose ? stderr : null);
        stdout.WriteLine($"repaired {photo} -> {output} ({report.HolePixels:N0} hole pixels, {(model.Contract.Family == ModelFamily.Center ? $"{report.Regions} regions, {report.Windows} windows" : $"{report.Windows} tiles{(report.Scales > 1 ? $" over {report.Scales} scales" : "")}")}, {timer.Elapsed.TotalSeconds:F2} s)");
        return ExitCodes.Ok;
    }

    private static int RepairFolder(RepairJob job, InpaintModel model, string photos, string masks, string output, bool skipExisting, bool verbose,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (!Directory.Exists(masks)) throw new UserError($"folder mode needs --masks to be a folder; '{masks}' is not one");
        if (Path.GetFullPath(output).TrimEnd('/') == Path.GetFullPath(photos).TrimEnd('/'))
            throw new UserError("the output folder must differ from the photo folder (inputs are never overwritten)");
        Directory.CreateDirectory(output);
        // A run killed earlier (kill -9, power loss) may have left the hidden temporary file of its last photo.
        int stale = PhotoFile.RemoveStaleTemporaryFiles(output);
        if (verbose && stale > 0) stderr.WriteLine($"removed {stale} temporary file(s) left by an interrupted run");
        var maskByName = Directory.EnumerateFiles(masks).Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f)))
            .GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var inputs = Directory.EnumerateFiles(photos).Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f)))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (inputs.Count == 0) throw new UserError($"'{photos}' holds no PNG, JPEG, BMP or WebP photos");
        var failures = new List<(string File, string Reason)>();
        int done = 0, skipped = 0;
        var timer = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                string photo = inputs[i], name = Path.GetFileName(photo);
                string target = Path.Combine(output, name);
                stdout.Write($"\r[{i + 1}/{inputs.Count}] {name}".PadRight(60));
                if (skipExisting && File.Exists(target)) { skipped++; continue; }
                if (!maskByName.TryGetValue(Path.GetFileNameWithoutExtension(photo), out string? maskFile))
                {
                    failures.Add((name, "no mask with the same name"));
                    continue;
                }
                try
                {
                    job.Run(model, photo, maskFile, target, cancellation, verbose ? stderr : null);
                    done++;
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or UserError)
                {
                    failures.Add((name, e.Message));
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Outputs written so far are complete (atomic writes); the photo in progress has no output.
            stdout.WriteLine();
            stdout.WriteLine($"interrupted after {done} repaired, {skipped} skipped, {failures.Count} failed; '--skip-existing' continues from here");
            foreach (var (file, reason) in failures) stderr.WriteLine($"failed: {file}: {reason}");
            throw;
        }
        stdout.WriteLine();
        stdout.WriteLine($"{done} repaired, {skipped} skipped (output exists), {failures.Count} failed, in {timer.Elapsed.TotalSeconds:F1} s; outputs in {output}");
        foreach (var (file, reason) in failures) stderr.WriteLine($"failed: {file}: {reason}");
        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    private static void GuardOutput(string output, params string[] inputs)
    {
        string full = Path.GetFullPath(output);
        if (inputs.Any(i => Path.GetFullPath(i) == full)) throw new UserError($"the output '{output}' is one of the inputs (inputs are never overwritten)");
        if (!PhotoFile.Extensions.Contains(Path.GetExtension(output))) throw new UserError($"the output '{output}' must end in .png, .jpg, .bmp or .webp");
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir))
        {
            try
            {
                Directory.CreateDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserError($"cannot create the output folder '{dir}': {e.Message}");
            }
        }
    }

    /// <summary>One photo: read, mask, repair, write.</summary>
    private sealed record RepairJob(PhotoFile Files, bool Invert, bool ResizeMask, int Grow, RepairOptions Options)
    {
        public RepairReport Run(InpaintModel model, string photoPath, string maskPath, string output, CancellationToken cancellation, TextWriter? verbose)
        {
            using Image<Rgba32> photo = Files.Read(photoPath);
            HoleMap holes;
            using (Image<Rgba32> maskImage = Files.Read(maskPath))
                holes = MaskRule.Read(maskImage, photo.Width, photo.Height, Invert, ResizeMask).Grow(Grow);
            verbose?.WriteLine($"{Path.GetFileName(photoPath)}: {photo.Width}x{photo.Height}, mask rule {holes.Source}{(Invert ? " inverted" : "")}, {holes.Count:N0} hole pixels{(Grow > 0 ? $" after growing by {Grow} px" : "")}");
            var repairer = new PhotoRepairer(model, Options);
            using Image<Rgba32> repaired = repairer.Repair(photo, holes, out RepairReport report, cancellation: cancellation);
            Files.Write(repaired, output);
            verbose?.WriteLine($"  {report.Regions} regions, {report.Windows} windows in {report.Batches} batches; plan {report.Planning.TotalMilliseconds:F0} ms, " +
                               $"inference {report.Inference.TotalMilliseconds:F0} ms, paste {report.Pasting.TotalMilliseconds:F0} ms");
            return report;
        }
    }
}
