using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Inpaint.Masks;
using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using Inpaint.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Cli;

/// <summary>
/// <c>inpaint-train prefill</c>: measures the freeform family's pre-fill (hole-PSNR per mask kind, and time per tile)
/// for several numbers of levels and Jacobi sweeps on the validation tiles of a photo folder, so the spec's choice
/// rests on numbers (docs/architectures.md).
/// </summary>
internal static class PrefillCommand
{
    public static Command Build(TextWriter stdout)
    {
        var data = new Option<string>("--data") { Description = "Folder of photos (e.g. data/val), searched recursively", Required = true };
        var configs = new Option<string[]>("--sweeps")
        {
            Description = "Sweep lists to compare, finest level first, e.g. 0 8,16,32 32 128 (the last value repeats for coarser levels)",
            AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["0", "4,8,16", "8,16,32", "32", "128"],
        };
        var levels = new Option<int>("--levels") { Description = "Halvings of the pyramid", DefaultValueFactory = _ => Architectures.DefaultPrefill.Levels };
        var size = new Option<int>("--tile") { Description = "Tile side", DefaultValueFactory = _ => 128 };
        var omega = new Option<double>("--omega") { Description = "0: Jacobi; otherwise red-black over-relaxation with this factor", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: all cores)", DefaultValueFactory = _ => 0 };
        var command = new Command("prefill", "Measures the freeform pre-fill (quality per mask kind and time) for several sweep counts") { data, configs, levels, size, omega, threads };
        command.SetAction(p =>
        {
            if (p.GetValue(threads) > 0) torch.set_num_threads(p.GetValue(threads));
            int s = p.GetValue(size);
            DataSplit split = ImageFolder.Scan(p.GetValue(data)!, new PhotoFile(), s, 0, 0);
            using var cache = new PhotoCache(new PhotoFile(), 3 * s);
            var set = FreeformValidationSet.Build(split.Train, cache, s);
            stdout.WriteLine($"{set.Tiles} tiles of {s}x{s} from {split.Train.Count} photos; hole-PSNR in dB per mask kind, time per tile (batch 8, {torch.get_num_threads()} threads)");
            stdout.WriteLine($"{"levels",6} {"sweeps",-12} " + string.Join(" ", FreeformValidationSet.Kinds.Select(k => $"{k.Word(),8}")) + $" {"mean",8} {"ms/tile",8}");
            foreach (string config in p.GetValue(configs)!)
            {
                int[] sweeps = config.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var spec = new PrefillSpec { Levels = p.GetValue(levels), Sweeps = sweeps, Omega = p.GetValue(omega) };
                using var fill = new HarmonicPrefill(spec);
                var psnrs = new List<double>();
                var timer = new Stopwatch();
                int plane = s * s;
                foreach (MaskKind kind in FreeformValidationSet.Kinds)
                {
                    double sum = 0;
                    int images = 0;
                    for (int start = 0; start < set.Tiles; start += 8)
                    {
                        using var scope = NewDisposeScope();
                        int n = Math.Min(8, set.Tiles - start);
                        Tensor real = torch.tensor(set.Real.AsSpan(start * 3 * plane, n * 3 * plane).ToArray(), [n, 3, s, s]);
                        Tensor hole = torch.tensor(set.Holes[kind].AsSpan(start * plane, n * plane).ToArray(), [n, 1, s, s]);
                        timer.Start();
                        Tensor filled = fill.forward(real, hole);
                        timer.Stop();
                        var sums = HoleMetrics.MaskedSums(filled, real, hole);
                        sum += sums.PsnrSum;
                        images += sums.Images;
                    }
                    psnrs.Add(sum / Math.Max(1, images));
                }
                double ms = timer.Elapsed.TotalMilliseconds / (set.Tiles * FreeformValidationSet.Kinds.Count);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{spec.Levels,6} {config,-12} {string.Join(" ", psnrs.Select(v => $"{v,8:F2}"))} {psnrs.Average(),8:F2} {ms,8:F2}"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
