using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Fuzz;

/// <summary><c>speed</c>: time to decode one large intact photo per format, best of three, for each decoder.</summary>
internal static class Speed
{
    public static int Run(string repoRoot, int width, int height, TextWriter output)
    {
        using var photo = Image.Load<Rgba32>(Path.Combine(repoRoot, "samples", "scratches-original.png"));
        photo.Mutate(x => x.Resize(width, height));
        output.WriteLine($"{width}x{height} ({width * (long)height / 1e6:F1} MP), best of 3 decodes, ms:");
        output.WriteLine($"| format | {string.Join(" | ", Decoders.Names)} |");
        output.WriteLine($"|---|{string.Concat(Decoders.Names.Select(_ => "---:|"))}");
        foreach (var (name, encoder) in new (string, IImageEncoder)[] { ("png", new PngEncoder()), ("jpeg q90", new JpegEncoder { Quality = 90 }), ("webp lossy", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }) })
        {
            using var stream = new MemoryStream();
            photo.Save(stream, encoder);
            byte[] bytes = stream.ToArray();
            var times = Decoders.Names.Select(d =>
            {
                double best = double.MaxValue;
                for (int r = 0; r < 3; r++)
                {
                    var timer = Stopwatch.StartNew();
                    if (Decoders.Run(d, bytes).Verdict != Verdict.Accepted) throw new InvalidOperationException($"{d} refused an intact {name}");
                    best = Math.Min(best, timer.Elapsed.TotalMilliseconds);
                }
                return best;
            });
            output.WriteLine($"| {name} ({bytes.Length / 1e6:F1} MB) | {string.Join(" | ", times.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} |");
        }
        return 0;
    }
}
