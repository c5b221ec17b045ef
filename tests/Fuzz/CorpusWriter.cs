using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Fuzz;

/// <summary>
/// <c>corpus</c>: writes the fixed corpus the normal tests run (small mutants of small seeds) and
/// <c>expected.tsv</c>, the exit each one gives today (0 read, 1 refused), so the tests also catch a file that
/// starts being accepted or refused.
/// </summary>
internal static class CorpusWriter
{
    public static int Write(List<Seed> seeds, string folder, int count, TextWriter output)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var lines = new List<string>();
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            Seed seed = seeds[i % seeds.Count];
            Mutant m = Mutator.Make(seed, i / seeds.Count, salt: 7);
            File.WriteAllBytes(Path.Combine(folder, m.Name), m.Bytes);
            bytes += m.Bytes.Length;
            int exit;
            try
            {
                using Image<Rgba32> image = new PhotoFile().Read(Path.Combine(folder, m.Name));
                exit = 0;
            }
            catch (InvalidDataException)
            {
                exit = 1;
            }
            lines.Add($"{m.Name}\t{exit}");
        }
        File.WriteAllLines(Path.Combine(folder, "expected.tsv"), lines.Order(StringComparer.Ordinal));
        output.WriteLine($"wrote {count} files ({bytes / 1024.0:F0} KiB) and expected.tsv to {folder}: " +
                         $"{lines.Count(l => l.EndsWith("\t0", StringComparison.Ordinal))} read, {lines.Count(l => l.EndsWith("\t1", StringComparison.Ordinal))} refused");
        return 0;
    }
}
