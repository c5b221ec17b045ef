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
/// (masks matched by file name without extension; each output in its input's format). <c>--auto</c> finds the damage
/// with the damage detector instead of (or, with a mask, as well as) a drawn mask.
/// </summary>
internal static class RepairCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var input = new Argument<string>("photo") { Description = "A photo, or a folder of photos" };
        var mask = new Option<string?>("--mask", "--masks", "-m") { Description = "The mask (white = repair), or a folder of masks named like the photos" };
        var output = new Option<string>("--output", "-o") { Description = "Output file, or folder in folder mode", Required = true };
        var skip = new Option<bool>("--skip-existing") { Description = "Folder mode: leave photos whose output exists (continue an interrupted run)" };
        var auto = new Option<bool>("--auto") { Description = "Find the damage with the damage detector (with --mask: repair both); --grow widens what it finds" };
        var settings = new RepairOptionSet();
        var detector = new DetectorOptionSet();
        var command = new Command("repair", "Repairs a photo (or a folder of photos) where the mask is white, or where --auto finds damage") { input, mask, output, skip, auto };
        settings.AddTo(command);
        detector.AddTo(command);
        command.SetAction(p =>
        {
            bool verbose = p.GetValue(InpaintCli.Verbose);
            string photoPath = p.GetValue(input)!, outPath = p.GetValue(output)!;
            bool automatic = p.GetValue(auto);
            string? maskPath = p.GetValue(mask);
            if (maskPath is null && !automatic) throw new UserError("--mask is required (a mask image, or a folder of masks in folder mode), or --auto to find the damage");
            bool folder = Directory.Exists(photoPath);
            if (!folder && !File.Exists(photoPath)) throw new UserError($"'{photoPath}' does not exist");
            Action<string>? log = verbose ? line => stderr.WriteLine(line) : null;
            using DamageDetector? found = automatic ? settings.LoadDetector(p, detector, log) : null;
            var job = new RepairJob(settings.Files(p), settings.Masks(p), settings.Repair(p), settings.Variants(p))
            {
                Detection = found is null ? null : new AutoDetection(found, detector.Threshold(p, found), settings.Grow(p)),
            };
            using InpaintModel loaded = settings.LoadModel(p, log);
            if (verbose) stderr.WriteLine($"provider: {loaded.ActiveExecutionProvider}{(loaded.FallbackReason is null ? "" : $" ({loaded.FallbackReason})")}");
            return folder
                ? RepairFolder(job, loaded, photoPath, maskPath, outPath, p.GetValue(skip), verbose, stdout, stderr, cancellation)
                : RepairOne(job, loaded, photoPath, maskPath, outPath, verbose, stdout, stderr, cancellation);
        });
        return command;
    }

    private static int RepairOne(RepairJob job, InpaintModel model, string photo, string? mask, string output, bool verbose,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (mask is not null && Directory.Exists(mask)) throw new UserError($"the mask '{mask}' is a folder, not an image (a folder of masks goes with a folder of photos)");
        if (mask is not null && !File.Exists(mask)) throw new UserError($"mask '{mask}' does not exist");
        for (int v = 0; v < job.Variants; v++) GuardOutput(RepairJob.VariantPath(output, v, job.Variants), mask is null ? [photo] : [photo, mask]);
        var timer = Stopwatch.StartNew();
        var report = job.Run(model, photo, mask, output, cancellation, verbose ? stderr : null);
        if (report is null)
        {
            stdout.WriteLine($"no damage found in {photo}; wrote it unchanged to {output} ({timer.Elapsed.TotalSeconds:F2} s)");
            return ExitCodes.Ok;
        }
        string written = job.Variants == 1 ? output : $"{RepairJob.VariantPath(output, 0, job.Variants)} ... {RepairJob.VariantPath(output, job.Variants - 1, job.Variants)}";
        string work = model.Contract.Family == ModelFamily.Center ? $"{report.Regions} regions, {report.Windows} windows" : $"{report.Windows} tiles{(report.Scales > 1 ? $" over {report.Scales} scales" : "")}";
        string textured = report.TextureRegions > 0 ? $", {report.TextureRegions} region{(report.TextureRegions == 1 ? "" : "s")} with texture" : "";
        stdout.WriteLine($"repaired {photo} -> {written} ({report.HolePixels:N0} hole pixels, {work}{textured}, {timer.Elapsed.TotalSeconds:F2} s)");
        return ExitCodes.Ok;
    }

    private static int RepairFolder(RepairJob job, InpaintModel model, string photos, string? masks, string output, bool skipExisting, bool verbose,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (masks is not null && !Directory.Exists(masks)) throw new UserError($"folder mode needs --masks to be a folder; '{masks}' is not one");
        if (Path.GetFullPath(output).TrimEnd('/') == Path.GetFullPath(photos).TrimEnd('/'))
            throw new UserError("the output folder must differ from the photo folder (inputs are never overwritten)");
        Directory.CreateDirectory(output);
        // A run killed earlier (kill -9, power loss) may have left the hidden temporary file of its last photo.
        int stale = PhotoFile.RemoveStaleTemporaryFiles(output);
        if (verbose && stale > 0) stderr.WriteLine($"removed {stale} temporary file(s) left by an interrupted run");
        var maskByName = (masks is null ? [] : Directory.EnumerateFiles(masks)).Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f)))
            .GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var inputs = Directory.EnumerateFiles(photos).Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f)))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (inputs.Count == 0) throw new UserError($"'{photos}' holds no photos ({PhotoFile.ExtensionNames})");
        var failures = new List<(string File, string Reason)>();
        int done = 0, skipped = 0;
        var timer = Stopwatch.StartNew();
        // One progress line rewritten in place on a terminal; a line per photo in a redirected log (no \r in files).
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        try
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                string photo = inputs[i], name = Path.GetFileName(photo);
                string target = Path.Combine(output, name);
                if (terminal) stdout.Write($"\r[{i + 1}/{inputs.Count}] {name}".PadRight(60));
                else stdout.WriteLine($"[{i + 1}/{inputs.Count}] {name}");
                if (skipExisting && File.Exists(RepairJob.VariantPath(target, job.Variants - 1, job.Variants))) { skipped++; continue; } // the last variant is written last
                if (!maskByName.TryGetValue(Path.GetFileNameWithoutExtension(photo), out string? maskFile) && job.Detection is null)
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
            if (terminal) stdout.WriteLine();
            stdout.WriteLine($"interrupted after {done} repaired, {skipped} skipped, {failures.Count} failed; '--skip-existing' continues from here");
            foreach (var (file, reason) in failures) stderr.WriteLine($"failed: {file}: {reason}");
            throw;
        }
        if (terminal) stdout.WriteLine(); // ends the progress line
        stdout.WriteLine($"{done} repaired, {skipped} skipped (output exists), {failures.Count} failed, in {timer.Elapsed.TotalSeconds:F1} s; outputs in {output}");
        foreach (var (file, reason) in failures) stderr.WriteLine($"failed: {file}: {reason}");
        return failures.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    private static void GuardOutput(string output, params string[] inputs)
    {
        string full = Path.GetFullPath(output);
        if (inputs.Any(i => Path.GetFullPath(i) == full)) throw new UserError($"the output '{output}' is one of the inputs (inputs are never overwritten)");
        if (!PhotoFile.Extensions.Contains(Path.GetExtension(output))) throw new UserError($"the output '{output}' must end in {PhotoFile.ExtensionNames}");
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

    /// <summary><c>--auto</c>: the detector, its threshold and how far what it finds is grown.</summary>
    private sealed record AutoDetection(DamageDetector Detector, double Threshold, int Grow);

    /// <summary>One photo: read, mask and/or detect, repair, write (each variant to its own file).</summary>
    private sealed record RepairJob(PhotoFile Files, MaskReading Masks, RepairOptions Options, int Variants)
    {
        /// <summary>With <c>--auto</c>: how damage is found.</summary>
        public AutoDetection? Detection { get; init; }

        /// <summary><paramref name="output"/> itself for a single fill; otherwise OUT-1.ext, OUT-2.ext, ...</summary>
        public static string VariantPath(string output, int variant, int variants) => variants == 1 ? output
            : Path.Combine(Path.GetDirectoryName(output) ?? "", $"{Path.GetFileNameWithoutExtension(output)}-{variant + 1}{Path.GetExtension(output)}");

        /// <summary>The repair's report; null when <c>--auto</c> found no damage and no mask added any (the photo is written unchanged).</summary>
        public RepairReport? Run(InpaintModel model, string photoPath, string? maskPath, string output, CancellationToken cancellation, TextWriter? verbose)
        {
            using Photo photo = Files.Open(photoPath);
            HoleMap holes = Holes(photo, maskPath, cancellation);
            verbose?.WriteLine($"{Path.GetFileName(photoPath)}: {photo.Width}x{photo.Height} {photo.Format}, {photo.Channels.Word()} at {photo.BitsPerSample} bits, {Masks.Describe(holes)}");
            if (holes.Count == 0 && Detection is not null)
            {
                for (int v = 0; v < Variants; v++) Files.Write(photo.Pixels, photo, VariantPath(output, v, Variants));
                return null;
            }
            var repairer = new PhotoRepairer(model, Options);
            Check(repairer, photo.Pixels, holes);
            IReadOnlyList<Image<Rgba32>> repaired = repairer.Variants(photo.Pixels, holes, Variants, out IReadOnlyList<RepairReport> reports, cancellation: cancellation);
            try
            {
                for (int v = 0; v < repaired.Count; v++) Files.Write(repaired[v], photo, VariantPath(output, v, Variants));
            }
            finally
            {
                foreach (var image in repaired) image.Dispose();
            }
            RepairReport report = reports[0];
            verbose?.WriteLine($"  {report.Regions} regions, {report.Windows} windows in {report.Batches} batches; plan {report.Planning.TotalMilliseconds:F0} ms, " +
                               $"inference {report.Inference.TotalMilliseconds:F0} ms, paste {report.Pasting.TotalMilliseconds:F0} ms; " +
                               $"{report.TextureRegions} regions with texture ({Options.Fill.Word()}), {reports.Sum(r => r.Texture.TotalMilliseconds):F0} ms");
            return report;
        }

        /// <summary>The mask's holes, the detected ones (grown), or both.</summary>
        private HoleMap Holes(Photo photo, string? maskPath, CancellationToken cancellation)
        {
            HoleMap? drawn = null;
            if (maskPath is not null)
                using (Image<Rgba32> maskImage = Files.Read(maskPath))
                    drawn = Masks.Holes(maskImage, photo.Width, photo.Height);
            if (Detection is not { } auto) return drawn!;
            HoleMap found = auto.Detector.Detect(photo.Pixels, auto.Threshold, cancellation).Grow(auto.Grow);
            return drawn is null ? found : drawn.Union(found);
        }

        /// <summary>The repairer's refusals in the command line's words: what to do about them.</summary>
        private static void Check(PhotoRepairer repairer, Image<Rgba32> photo, HoleMap holes)
        {
            try
            {
                repairer.Check(photo, holes);
            }
            catch (LargeHolesException e) when (e.NoKnownPixel)
            {
                throw new UserError($"{e.Message} (if white marks what to keep, use --invert-mask)", e);
            }
            catch (LargeHolesException e)
            {
                throw new UserError($"{e.Message}: if white marks what to keep, use --invert-mask; to repair it anyway, --allow-large-holes", e);
            }
            catch (PhotoTooSmallException e)
            {
                throw new UserError(e.Message, e);
            }
        }
    }
}
