using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Inpaint.OnnxInpaint;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Cli;

/// <summary>
/// <c>inpaint bench</c>: model latency (batch 1) and throughput (larger batches) with achieved GFLOP/s, and the
/// time and peak memory to repair a synthetic large photo with scratches or one big hole. Numbers are for
/// comparing in one run on one machine, not absolutes.
/// </summary>
internal static class BenchCommand
{
    public static Command Build(TextWriter stdout)
    {
        var model = new Option<string?>("--model") { Description = $"Inpaint ONNX model (default: models/{ModelLocator.DefaultModelName})" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var threads = RepairSettings.Threads.ToOption();
        var batches = new Option<string>("--batches") { Description = "Batch sizes to time, comma-separated", DefaultValueFactory = _ => "1,8" };
        var seconds = new Option<double>("--seconds") { Description = "Time per measurement", DefaultValueFactory = _ => 5 };
        var repair = new Option<string?>("--repair") { Description = "Also time a photo repair: WIDTHxHEIGHT:scratches:N, WIDTHxHEIGHT:hole:SIDE or WIDTHxHEIGHT:salt:PERCENT (single-pixel holes), e.g. 4000x3000:scratches:50" };
        var tile = RepairSettings.Tile.ToOption("Freeform models, with --repair: `repair --tile`");
        var contextMargin = RepairSettings.Context.ToOption("Freeform models, with --repair: `repair --context`");
        var fill = RepairOptionSet.FillOption();
        var detect = new Option<string?>("--detect") { Description = "Also time the damage detector on a synthetic photo of WIDTHxHEIGHT, e.g. 4000x3000" };
        var detector = new Option<string?>("--detector") { Description = $"With --detect: the damage detector (default: models/{ModelLocator.DefaultDetectorName})" };
        var levels = DetectSettings.Levels.ToOption();
        var command = new Command("bench", "Times the model (latency, throughput, GFLOP/s) and optionally a full photo repair and a damage detection")
        {
            model, device, threads, batches, seconds, repair, tile, contextMargin, fill, detect, detector, levels,
        };
        command.SetAction(p =>
        {
            using InpaintModel loaded = InpaintCli.LoadModel(p.GetValue(model), p.GetValue(device)!, 0, p.GetValue(threads), RepairSettings.Batch.Default, null);
            int s = loaded.Contract.ImageSize;
            double flops = loaded.Contract.Spec?.FlopsPerImage() ?? 0;
            stdout.WriteLine($"model {loaded.Contract.Architecture} on {loaded.ActiveExecutionProvider}, {Environment.ProcessorCount} cores, " +
                             (flops > 0 ? $"{flops / 1e9:F2} GFLOP per image" : $"FLOPs unknown (no {MetadataKeys.Spec})"));
            foreach (string part in p.GetValue(batches)!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1) throw new UserError($"bad batch size '{part}'");
                var rng = new Random(1);
                var image = Enumerable.Range(0, n * 3 * s * s).Select(_ => (float)rng.Next(256)).ToArray();
                var mask = Enumerable.Repeat(255f, n * s * s).ToArray();
                var output = new float[n * 3 * s * s];
                loaded.Run(image, mask, output, n); // warm up
                var timer = Stopwatch.StartNew();
                int runs = 0;
                while (timer.Elapsed.TotalSeconds < p.GetValue(seconds) || runs < 3)
                {
                    loaded.Run(image, mask, output, n);
                    runs++;
                }
                double perImage = timer.Elapsed.TotalSeconds / (runs * n);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"batch {n,3}: {perImage * 1000,8:F2} ms/image, {1 / perImage,8:F1} images/s{(flops > 0 ? $", {flops / perImage / 1e9,7:F1} GFLOP/s" : "")} ({runs} runs)"));
            }
            if (p.GetValue(repair) is { } spec) BenchRepair(loaded, spec, new RepairOptions
            {
                Tile = p.GetValue(tile), Context = p.GetValue(contextMargin), Fill = RepairOptionSet.Fill(p, fill), AllowLargeHoles = true, // the damage is the spec's
            }, stdout);
            if (p.GetValue(detect) is { } size)
            {
                DamageDetector found = InpaintCli.LoadDetector(p.GetValue(detector), p.GetValue(device)!, 0, p.GetValue(threads), null);
                found.Levels = p.GetValue(levels); // in range: the option checked it
                BenchDetect(found, size, stdout);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void BenchRepair(InpaintModel model, string spec, RepairOptions options, TextWriter stdout)
    {
        var (w, h, holes) = BenchDamage.Parse(spec);
        using Image<Rgba32> photo = Synthetic(w, h);
        GC.Collect();
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var timer = Stopwatch.StartNew();
        using var repaired = new PhotoRepairer(model, options).Repair(photo, new HoleMap(w, h, holes, MaskSource.Luminance), out var report);
        double seconds = timer.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"repair {w}x{h} ({w * (long)h / 1e6:F1} MP), {spec}: {seconds:F2} s, {report.HolePixels:N0} hole pixels, {report.Regions} regions, {report.Windows} windows; " +
            $"plan {report.Planning.TotalSeconds:F2} s, inference {report.Inference.TotalSeconds:F2} s, paste {report.Pasting.TotalSeconds:F2} s, texture {report.Texture.TotalSeconds:F2} s ({report.TextureRegions} regions, fill {options.Fill.Word()}); peak working set {peak / 1048576.0:F0} MiB (before: {before / 1048576.0:F0} MiB)"));
    }

    /// <summary>Times one detection of a synthetic photo of the given size (<c>WIDTHxHEIGHT</c>); the detector is disposed here.</summary>
    private static void BenchDetect(DamageDetector detector, string size, TextWriter stdout)
    {
        using (detector)
        {
            string[] parts = size.ToLowerInvariant().Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || w < 1 || h < 1 || (long)w * h > 200_000_000)
                throw new UserError($"--detect takes WIDTHxHEIGHT (e.g. 4000x3000), not '{size}'");
            using Image<Rgba32> photo = Synthetic(w, h);
            GC.Collect();
            var timer = Stopwatch.StartNew();
            HoleMap found = detector.Detect(photo);
            double seconds = timer.Elapsed.TotalSeconds;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"detect {w}x{h} ({w * (long)h / 1e6:F1} MP) with '{detector.Contract.Architecture}' at {detector.LevelsFor(w, h)} level(s) on {detector.ActiveExecutionProvider}: {seconds:F2} s " +
                $"({w * (long)h / 1e6 / seconds:F2} MP/s, tiles of {detector.Tile} px), {found.Count:N0} pixels flagged; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB"));
        }
    }

    /// <summary>The bench's synthetic photo: gradients and a XOR pattern.</summary>
    private static Image<Rgba32> Synthetic(int w, int h)
    {
        var photo = new Image<Rgba32>(w, h);
        photo.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < w; x++) row[x] = new Rgba32((byte)(x * 255 / w), (byte)(y * 255 / h), (byte)((x ^ y) & 255), 255);
            }
        });
        return photo;
    }
}
