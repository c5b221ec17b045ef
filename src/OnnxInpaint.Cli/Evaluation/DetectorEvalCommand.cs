using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Inpaint.Imaging;
using Inpaint.Masks;
using Inpaint.OnnxInpaint;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Cli.Evaluation;

/// <summary>
/// <c>inpaint eval-detector --images DIR</c>: the damage detector on held-out photos with synthetic damage drawn on them
/// (<see cref="DamageRenderer"/>, seeds apart from training's): pixel precision, recall and F1 per kind (a 1-px band around
/// the damage counting neither way, <see cref="DetectionScore"/>), the share of a clean photo flagged, and end to end the
/// PSNR of <c>repair --auto</c> against the clean photo beside the repair with the true damage as its mask and the damaged
/// photo itself: the share of the true mask's gain that detection keeps.
/// </summary>
internal static class DetectorEvalCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var images = new Option<string>("--images") { Description = "Folder of held-out photos (searched recursively)", Required = true };
        var limit = new Option<int>("--limit") { Description = "At most this many photos (0: all)", DefaultValueFactory = _ => 0 };
        var kinds = new Option<string>("--kinds") { Description = "Damage kinds to measure", DefaultValueFactory = _ => string.Join(",", DamageKinds.All.Select(k => k.Word())) };
        var seed = new Option<int>("--seed") { Description = "Seed of the damage", DefaultValueFactory = _ => 7 };
        var model = new Option<string?>("--model") { Description = "Also repair each photo with this inpainter, with the true and the detected damage (default: the shipped one)" };
        var noRepair = new Option<bool>("--no-repair") { Description = "Measure detection only" };
        var grow = RepairSettings.Grow.ToOption("Grow the detected damage by this many pixels before repairing it", "--grow");
        var examples = new Option<string?>("--examples") { Description = "Write the first photo's damaged, true, detected and repaired images per kind here" };
        var hardNegatives = new Option<string?>("--hard-negatives")
        {
            Description = "A list of the photos that show real thin structures or lettering (lines of PATH<tab>KIND,KIND<tab>note, PATH relative to --images): " +
                          "the share flagged on those photos, clean, is reported per kind",
        };
        var detector = new DetectorOptionSet();
        var command = new Command("eval-detector", "Measures the damage detector on held-out photos with synthetic damage: F1 per kind, clean photos flagged, what --auto keeps of a true mask's repair")
        {
            images, limit, kinds, seed, model, noRepair, grow, examples, hardNegatives,
        };
        detector.AddTo(command);
        command.SetAction(p =>
        {
            string folder = p.GetValue(images)!;
            if (!Directory.Exists(folder)) throw new UserError($"--images folder '{folder}' does not exist");
            List<string> photos = EvalSamples.Photos(folder, p.GetValue(limit));
            if (photos.Count == 0) throw new UserError($"'{folder}' holds no photos ({PhotoFile.ExtensionNames})");
            using DamageDetector loaded = detector.Load(p, "cpu", 0, 0, null);
            using InpaintModel? inpainter = p.GetValue(noRepair) ? null : InpaintCli.LoadModel(p.GetValue(model), "cpu", 0, 0, 8, null);
            var run = new DetectorEval(loaded, detector.Threshold(p, loaded), inpainter, p.GetValue(grow), p.GetValue(examples),
                HardNegatives.Read(p.GetValue(hardNegatives), folder));
            var timer = Stopwatch.StartNew();
            run.Measure(photos, DamageCommand.Parse(p.GetValue(kinds)!), p.GetValue(seed), stderr, cancellation);
            run.Report(stdout, photos.Count, folder, timer.Elapsed);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The running totals of one evaluation.</summary>
    private sealed class DetectorEval(DamageDetector detector, double threshold, InpaintModel? inpainter, int grow, string? examples, HardNegatives hard)
    {
        private readonly Dictionary<DamageKind, DetectionScore> scores = [];
        private readonly SortedDictionary<string, DetectionScore> hardScores = new(StringComparer.Ordinal);
        private readonly Dictionary<DamageKind, (double Damaged, double True, double Auto, int Count)> psnr = [];
        private readonly DetectionScore clean = new();
        private readonly PhotoFile files = new();
        private readonly Stopwatch detecting = new();
        private long detectedPixels;

        public void Measure(List<string> photos, IReadOnlyList<DamageKind> kinds, int seed, TextWriter progress, CancellationToken cancellation)
        {
            for (int i = 0; i < photos.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                using Image<Rgba32> photo = files.Read(photos[i]);
                progress.WriteLine($"[{i + 1}/{photos.Count}] {Path.GetFileName(photos[i])} ({photo.Width}x{photo.Height})");
                bool[] flagged = Detect(photo, cancellation).Holes, none = new bool[flagged.Length];
                clean.Add(none, flagged, photo.Width, photo.Height);
                foreach (string structure in hard.Of(photos[i]))
                    (hardScores.TryGetValue(structure, out var h) ? h : hardScores[structure] = new DetectionScore()).Add(none, flagged, photo.Width, photo.Height);
                foreach (DamageKind kind in kinds)
                {
                    var (damaged, truth) = PhotoDamage.Draw(photo, [kind], seed * 1_000_003 + 7919 * i + (int)kind);
                    using (damaged)
                    {
                        HoleMap found = Detect(damaged, cancellation);
                        (scores.TryGetValue(kind, out var score) ? score : scores[kind] = new DetectionScore()).Add(truth, found.Holes, photo.Width, photo.Height);
                        if (inpainter is not null && truth.Any(t => t)) Repair(kind, photo, damaged, truth, found, i == 0 ? Path.GetFileNameWithoutExtension(photos[i]) : null, cancellation);
                    }
                }
            }
        }

        private HoleMap Detect(Image<Rgba32> photo, CancellationToken cancellation)
        {
            detecting.Start();
            HoleMap found = detector.Detect(photo, threshold, cancellation);
            detecting.Stop();
            detectedPixels += (long)photo.Width * photo.Height;
            return found;
        }

        /// <summary>PSNR over the whole photo of the damaged photo, its repair with the true damage, and with the detected damage grown.</summary>
        private void Repair(DamageKind kind, Image<Rgba32> photo, Image<Rgba32> damaged, bool[] truth, HoleMap found, string? example, CancellationToken cancellation)
        {
            var repairer = new PhotoRepairer(inpainter!, new RepairOptions { AllowLargeHoles = true });
            byte[] original = QualityMetrics.Rgb(photo);
            double Psnr(Image<Rgba32> image) => PsnrOf(original, QualityMetrics.Rgb(image));
            var trueHoles = new HoleMap(photo.Width, photo.Height, truth, MaskSource.Luminance);
            using Image<Rgba32> withTruth = repairer.Repair(damaged, trueHoles, out _, cancellation: cancellation);
            HoleMap detected = found.Grow(grow);
            using Image<Rgba32> withDetection = detected.Count == 0 ? damaged.Clone() : repairer.Repair(damaged, detected, out _, cancellation: cancellation);
            var (d, t, a, n) = psnr.GetValueOrDefault(kind);
            psnr[kind] = (d + Psnr(damaged), t + Psnr(withTruth), a + Psnr(withDetection), n + 1);
            if (example is not null && examples is not null) WriteExample(example, kind, damaged, truth, detected, withDetection);
        }

        private void WriteExample(string name, DamageKind kind, Image<Rgba32> damaged, bool[] truth, HoleMap detected, Image<Rgba32> repaired)
        {
            Directory.CreateDirectory(examples!);
            string Path(string what) => System.IO.Path.Combine(examples!, $"{name}-{kind.Word()}-{what}.png");
            files.Write(damaged, Path("damaged"));
            files.Write(repaired, Path("auto"));
            PhotoDamage.SaveMask(truth, damaged.Width, damaged.Height, Path("true"));
            PhotoDamage.SaveMask(detected.Holes, damaged.Width, damaged.Height, Path("detected"));
        }

        private static double PsnrOf(byte[] a, byte[] b)
        {
            double sum = 0;
            for (int i = 0; i < a.Length; i++)
            {
                double d = (a[i] - b[i]) / 255.0;
                sum += d * d;
            }
            return QualityMetrics.Psnr(sum / a.Length);
        }

        public void Report(TextWriter stdout, int photos, string folder, TimeSpan elapsed)
        {
            var c = CultureInfo.InvariantCulture;
            stdout.WriteLine($"damage detector '{detector.Contract.Architecture}' at threshold {threshold.ToString("0.##", c)}, {(detector.Levels == 0 ? $"levels down to {detector.WholePhotoSide} px" : $"{detector.Levels} level{(detector.Levels == 1 ? "" : "s")}")}, {photos} photos from {folder}; " +
                             $"a {DetectionScore.Band}-px band around the damage counts neither way{(inpainter is null ? "" : $"; repairs grow the detected damage by {grow} px")}");
            stdout.WriteLine();
            stdout.WriteLine("| damage | precision | recall | F1 | PSNR damaged | PSNR true mask | PSNR --auto | gain kept |");
            stdout.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (kind, s) in scores)
            {
                string repair = psnr.TryGetValue(kind, out var q) && q.Count > 0
                    ? string.Create(c, $"{q.Damaged / q.Count:0.00} | {q.True / q.Count:0.00} | {q.Auto / q.Count:0.00} | {100 * (q.Auto - q.Damaged) / Math.Max(1e-9, q.True - q.Damaged):0} %")
                    : " | | | ";
                stdout.WriteLine(string.Create(c, $"| {kind.Word()} | {s.Precision:0.000} | {s.Recall:0.000} | {s.F1:0.000} | {repair} |"));
            }
            stdout.WriteLine();
            stdout.WriteLine(string.Create(c, $"clean photos: {100 * clean.FlaggedShare:0.000} % of pixels flagged ({clean.FalsePositives:N0} of {clean.Pixels:N0})"));
            foreach (var (structure, h) in hardScores)
                stdout.WriteLine(string.Create(c, $"  photos with {structure} ({hard.Count(structure)}): {100 * h.FlaggedShare:0.000} % flagged"));
            stdout.WriteLine(string.Create(c, $"detection: {detectedPixels / Math.Max(1e-9, detecting.Elapsed.TotalSeconds) / 1e6:0.00} MP/s on this machine; the whole run {elapsed.TotalSeconds:0} s"));
        }
    }
}
