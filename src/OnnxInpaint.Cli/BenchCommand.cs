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
        var command = new Command("bench", "Times the model (latency, throughput, GFLOP/s) and optionally a full photo repair") { model, device, threads, batches, seconds, repair, tile, contextMargin };
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
            if (p.GetValue(repair) is { } spec) BenchRepair(loaded, spec, new RepairOptions { Tile = p.GetValue(tile), Context = p.GetValue(contextMargin) }, stdout);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void BenchRepair(InpaintModel model, string spec, RepairOptions options, TextWriter stdout)
    {
        string[] parts = spec.Split(':');
        string[] size = parts[0].Split('x');
        if (parts.Length != 3 || size.Length != 2 || !int.TryParse(size[0], out int w) || !int.TryParse(size[1], out int h) || !int.TryParse(parts[2], out int count))
            throw new UserError($"--repair '{spec}' should look like 4000x3000:scratches:50, 4000x3000:hole:600 or 640x400:salt:1");
        if (w < 1 || h < 1 || (long)w * h > int.MaxValue) throw new UserError($"--repair '{spec}': the size must be at least 1x1 and at most {int.MaxValue:N0} pixels");
        var rng = new Random(7);
        var holes = new bool[w * h];
        if (parts[1] == "scratches")
        {
            for (int k = 0; k < count; k++)
            {
                double x0 = rng.Next(w), y0 = rng.Next(h), angle = rng.NextDouble() * Math.PI, length = 200 + rng.Next(Math.Max(1, Math.Min(w, h) / 2));
                int width = 2 + rng.Next(5);
                for (double t = 0; t < length; t += 0.5)
                {
                    int cx = (int)(x0 + Math.Cos(angle) * t), cy = (int)(y0 + Math.Sin(angle) * t);
                    for (int dy = 0; dy < width; dy++)
                        for (int dx = 0; dx < width; dx++)
                        {
                            int x = cx + dx, y = cy + dy;
                            if (x >= 0 && y >= 0 && x < w && y < h) holes[y * w + x] = true;
                        }
                }
            }
        }
        else if (parts[1] == "hole")
        {
            CenterSquare square = CenterSquare.In(w, h, count);
            for (int y = Math.Max(0, square.Top); y < Math.Min(h, square.Bottom); y++)
                for (int x = Math.Max(0, square.Left); x < Math.Min(w, square.Right); x++) holes[y * w + x] = true;
        }
        else if (parts[1] == "salt")
        {
            // Single hole pixels scattered at random: COUNT percent of the photo (the worst case for one window per hole).
            if (count is < 0 or > 100) throw new UserError($"--repair '{spec}': the salt percentage must be between 0 and 100");
            for (int i = 0; i < holes.Length; i++) holes[i] = rng.NextDouble() * 100 < count;
        }
        else throw new UserError($"--repair kind '{parts[1]}' is not scratches, hole or salt");

        using var photo = new Image<Rgba32>(w, h);
        photo.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < w; x++) row[x] = new Rgba32((byte)(x * 255 / w), (byte)(y * 255 / h), (byte)((x ^ y) & 255), 255);
            }
        });
        GC.Collect();
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var timer = Stopwatch.StartNew();
        using var repaired = new PhotoRepairer(model, options).Repair(photo, new HoleMap(w, h, holes, MaskSource.Luminance), out var report);
        double seconds = timer.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"repair {w}x{h} ({w * (long)h / 1e6:F1} MP), {spec}: {seconds:F2} s, {report.HolePixels:N0} hole pixels, {report.Regions} regions, {report.Windows} windows; " +
            $"plan {report.Planning.TotalSeconds:F2} s, inference {report.Inference.TotalSeconds:F2} s, paste {report.Pasting.TotalSeconds:F2} s; peak working set {peak / 1048576.0:F0} MiB (before: {before / 1048576.0:F0} MiB)"));
    }
}
