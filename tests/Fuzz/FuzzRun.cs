using System.Diagnostics;
using System.Globalization;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Fuzz;

/// <summary>
/// <c>run</c>: the decoder (<see cref="PhotoFile"/>) and the mask rules (<see cref="MaskRule"/>) on mutated inputs,
/// in process. Each input gets the exit code the CLI would give: 0 read (and, as a mask, turned into holes for
/// a photo of its size and of another size, resized), 1 refused with an <see cref="InvalidDataException"/>,
/// 3 anything else (a crash), including a truncated file accepted with pixels other than the intact file's. Reports counts by mutation and exit, the slowest input and the peak working set.
/// </summary>
internal static class FuzzRun
{
    private static string Hash(Image<Rgba32> image)
    {
        var pixels = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(pixels);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(pixels));
    }

    public static int Run(List<Seed> seeds, int count, int salt, TextWriter output)
    {
        var exits = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        var crashes = new List<string>();
        var messages = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var timer = Stopwatch.StartNew();
        double slowest = 0;
        string slowestName = "";
        var files = new PhotoFile(maxPixels: 20_000_000);
        var intact = seeds.ToDictionary(s => s, s => files.Read(new MemoryStream(s.Bytes), s.Name));
        for (int i = 0; i < count; i++)
        {
            Seed seed = seeds[i % seeds.Count];
            Mutant m = Mutator.Make(seed, i / seeds.Count, salt);
            var one = Stopwatch.StartNew();
            int exit;
            try
            {
                using var stream = new MemoryStream(m.Bytes);
                using Image<Rgba32> image = files.Read(stream, m.Name);
                // A truncated file may only be accepted when nothing of the image was lost (e.g. PNG's end chunk).
                if (m.Kind == "truncated" && Hash(image) != Hash(intact[seed]))
                    throw new InvalidOperationException("a truncated file was accepted with pixels that differ from the intact file's");
                if (image.Width * (long)image.Height <= 4_000_000)
                {
                    HoleMap same = MaskRule.Read(image, image.Width, image.Height, invert: (i & 1) == 1);
                    HoleMap resized = MaskRule.Read(image, 37, 23, resize: true);
                    if (same.Holes.Length != image.Width * image.Height || resized.Holes.Length != 37 * 23) throw new InvalidOperationException("hole map of the wrong size");
                    try
                    {
                        MaskRule.Read(image, image.Width + 1, image.Height);
                        throw new InvalidOperationException("a mask of another size was accepted");
                    }
                    catch (MaskSizeException) { }
                }
                exit = 0;
            }
            catch (Exception e) when (e is InvalidDataException or ImageTooLargeException)
            {
                exit = 1;
                if (e.Message.Contains('\n') || !e.Message.Contains(m.Name, StringComparison.Ordinal)) crashes.Add($"{m.Name}: message not one line naming the file: {e.Message}");
                string shape = e.Message.Replace($"'{m.Name}'", "FILE");
                shape = shape.Length > 90 ? shape[..90] : shape;
                messages[shape] = messages.GetValueOrDefault(shape) + 1;
            }
            catch (Exception e)
            {
                exit = 3;
                crashes.Add($"{m.Name}: {e.GetType().Name}: {e.Message}");
            }
            double seconds = one.Elapsed.TotalSeconds;
            if (seconds > slowest) (slowest, slowestName) = (seconds, m.Name);
            string key = $"{m.Kind,-9} {seed.Format}";
            if (!exits.TryGetValue(key, out int[]? n)) exits[key] = n = new int[4];
            n[exit]++;
            if ((i + 1) % 2000 == 0) output.WriteLine($"  {i + 1} inputs, {timer.Elapsed.TotalSeconds:F0} s");
        }
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        output.WriteLine($"{count} mutated inputs from {seeds.Count} seeds (salt {salt}) in {timer.Elapsed.TotalSeconds:F1} s; slowest {slowest * 1000:F0} ms ({slowestName}); peak working set {peak / 1048576.0:F0} MiB");
        output.WriteLine("| mutation | format | exit 0 | exit 1 | exit 3 |");
        output.WriteLine("|---|---|---:|---:|---:|");
        int[] total = new int[4];
        foreach (var (key, n) in exits)
        {
            string[] parts = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {parts[0]} | {parts[1]} | {n[0]} | {n[1]} | {n[3]} |"));
            for (int c = 0; c < 4; c++) total[c] += n[c];
        }
        output.WriteLine($"| all | | {total[0]} | {total[1]} | {total[3]} |");
        output.WriteLine("Refusal messages (FILE = the file's name), most common first:");
        foreach (var (shape, n) in messages.OrderByDescending(kv => kv.Value).Take(12)) output.WriteLine($"  {n,6}  {shape}");
        output.WriteLine($"crashes or bad messages: {crashes.Count}");
        foreach (string c in crashes.Take(20)) output.WriteLine($"  {c}");
        return crashes.Count == 0 ? 0 : 1;
    }
}
