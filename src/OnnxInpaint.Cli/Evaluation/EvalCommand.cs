using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Inpaint.Masks;
using Inpaint.OnnxInpaint;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using OpenCvSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Size = SixLabors.ImageSharp.Size;

namespace Inpaint.Cli.Evaluation;

/// <summary>
/// <c>inpaint eval --images DIR --mask KINDS|MASK_DIR</c>: models beside OpenCV's Telea and Navier-Stokes on the same
/// held-out photos and holes, with the same repair settings a user gets. Each photo (searched recursively) is
/// resized so its shorter side is twice the tile; the centred square of that side holds a 2x2 grid of tiles, and
/// for each tile and mask kind a seeded mask is drawn at the tile's place in the whole photo. Every method repairs
/// the whole photo (so windows near a tile's edge see the real photo around it) and the tile is scored: hole-PSNR,
/// SSIM over the windows touching the hole, SSIM over the tile, L1 and L2 over the hole, each as a mean with its
/// 95% interval over the tiles. With a mask folder, whole photos are scored with the user's masks.
/// </summary>
internal static class EvalCommand
{
    private sealed record Sample(string Photo, int Tile, byte[] Truth, bool[] Holes, int Width, int Height, Rectangle Score);

    private sealed record Method(string Name, Func<Sample, byte[]> Run);

    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var images = new Option<string>("--images") { Description = "Folder of held-out photos (searched recursively)", Required = true };
        var mask = new Option<string>("--mask") { Description = "Mask kinds, comma-separated (center, square, freeform, scratch, text, box; 'all' = the first five), or a folder of masks named like the photos", DefaultValueFactory = _ => "center" };
        var models = new Option<string[]>("--model") { Description = $"Inpaint ONNX model(s) to compare; repeat the option (default: models/{ModelLocator.DefaultModelName})", AllowMultipleArgumentsPerToken = true };
        var tile = new Option<int>("--tile") { Description = "Tile side in pixels (generated masks)", DefaultValueFactory = _ => 128 }.InRange(16, 2048);
        var seed = new Option<int>("--seed") { Description = "Seed of the generated masks", DefaultValueFactory = _ => 1 };
        var feather = RepairSettings.Feather.ToOption("Blend width between windows or tiles (as `repair`)");
        var radii = new Option<string>("--cv-radius") { Description = "Neighbourhood radii of OpenCV's Telea and Navier-Stokes, comma-separated (empty: no OpenCV)", DefaultValueFactory = _ => "3,5" };
        var limit = new Option<int>("--limit") { Description = "Use at most this many photos (0: all)", DefaultValueFactory = _ => 0 }.InRange(0, 1_000_000);
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var repairTile = RepairSettings.Tile.ToOption("Freeform models: `repair --tile`", name: "--repair-tile");
        var contextMargin = RepairSettings.Context.ToOption("Freeform models: `repair --context`");
        var command = new Command("eval", "Measures models beside OpenCV Telea and Navier-Stokes on held-out photos: hole-PSNR, SSIM, L1, L2 with 95% intervals")
        {
            images, mask, models, tile, seed, feather, radii, limit, json, device, repairTile, contextMargin,
        };
        command.SetAction(p =>
        {
            string folder = p.GetValue(images)!;
            if (!Directory.Exists(folder)) throw new UserError($"image folder '{folder}' does not exist");
            double[] cvRadii = ParseRadii(p.GetValue(radii)!);
            if (cvRadii.Length > 0) OpenCvBaselines.EnsureAvailable();
            string maskArg = p.GetValue(mask)!;
            int tileSize = p.GetValue(tile), seedValue = p.GetValue(seed);
            var kinds = Directory.Exists(maskArg) ? null : ParseKinds(maskArg);
            var photos = Photos(folder, p.GetValue(limit));
            if (photos.Count == 0) throw new UserError($"'{folder}' holds no PNG, JPEG, BMP or WebP photos");

            string?[] modelPaths = p.GetValue(models) is { Length: > 0 } given ? given : new string?[] { null };
            var loaded = modelPaths.Select(m => InpaintCli.LoadModel(m, p.GetValue(device)!, 0, 0, RepairSettings.Batch.Default, null)).ToList();
            try
            {
                var repairOptions = new RepairOptions
                {
                    Feather = p.GetValue(feather), Tile = p.GetValue(repairTile), Context = p.GetValue(contextMargin),
                };
                var methods = new List<Method>();
                foreach (var (model, path) in loaded.Zip(modelPaths))
                {
                    var repairer = new PhotoRepairer(model, repairOptions);
                    string name = $"{model.Contract.Architecture} ({Path.GetFileName(path ?? ModelLocator.DefaultModelName)})";
                    methods.Add(new Method(name, s => RunModel(repairer, s, cancellation)));
                }
                foreach (double r in cvRadii)
                {
                    methods.Add(new Method(string.Create(CultureInfo.InvariantCulture, $"opencv telea r{r:G}"), s => OpenCvBaselines.Inpaint(Damaged(s), s.Holes, s.Width, s.Height, InpaintTypes.Telea, r)));
                    methods.Add(new Method(string.Create(CultureInfo.InvariantCulture, $"opencv navier-stokes r{r:G}"), s => OpenCvBaselines.Inpaint(Damaged(s), s.Holes, s.Width, s.Height, InpaintTypes.NS, r)));
                }
                var report = new Dictionary<string, object>();
                var sets = kinds is null
                    ? new[] { (Name: Path.GetFileName(Path.TrimEndingDirectorySeparator(maskArg)), Samples: FolderSamples(photos, maskArg)) }
                    : kinds.Select(k => (Name: k.Word(), Samples: TileSamples(photos, k, tileSize, seedValue))).ToArray();
                stdout.WriteLine($"{photos.Count} photos from {folder}; models on {string.Join(", ", loaded.Select(m => m.ActiveExecutionProvider).Distinct())}; " +
                                 $"repair settings as `repair` (feather {p.GetValue(feather)}); mean and 95% interval over tiles");
                foreach (var (name, samples) in sets)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var rows = Evaluate(samples, methods, cancellation);
                    int photoCount = samples.Select(s => s.Photo).Distinct().Count();
                    double share = samples.Count == 0 ? 0 : samples.Average(s => Count(s.Holes, s.Width, s.Score) / (double)(s.Score.Width * s.Score.Height));
                    stdout.WriteLine();
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mask {name}: {samples.Count} tiles from {photoCount} photos (seed {seedValue}), {share:P1} of a tile's pixels are holes"));
                    stdout.WriteLine($"{"method",-36} {"hole-PSNR",16} {"SSIM(hole)",16} {"SSIM(tile)",16} {"L1",8} {"L2",9}");
                    foreach (var (method, stats, _) in rows)
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{method,-36} {stats.HolePsnr.Mean,7:F2} ±{stats.HolePsnr.Half,6:F2}  {stats.MaskedSsim.Mean,7:F4} ±{stats.MaskedSsim.Half,6:F4}  {stats.Ssim.Mean,7:F4} ±{stats.Ssim.Half,6:F4} {stats.L1.Mean,8:F4} {stats.L2.Mean,9:F5}"));
                    // Every method repaired the same tiles, so the first method's lead over each other one is best judged
                    // tile by tile: the interval of the paired difference is much narrower than those of the two means.
                    var paired = new Dictionary<string, Figure>();
                    for (int m = 1; m < rows.Count; m++)
                    {
                        var differences = rows[0].HolePsnrs.Zip(rows[m].HolePsnrs, (a, b) => a - b).ToList();
                        Figure d = Figure.Of(differences);
                        paired[rows[m].Method] = d;
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {rows[0].Method} - {rows[m].Method}: {d.Mean,6:+0.00;-0.00} ±{d.Half,5:F2} dB hole-PSNR, paired over the tiles ({differences.Count(v => v > 0)} of {differences.Count} tiles ahead)"));
                    }
                    report[name] = new
                    {
                        tiles = samples.Count, photos = photoCount, hole_share = share,
                        results = rows.ToDictionary(r => r.Method, r => new
                        {
                            hole_psnr = r.Stats.HolePsnr, masked_ssim = r.Stats.MaskedSsim, ssim = r.Stats.Ssim, l1 = r.Stats.L1, l2 = r.Stats.L2,
                        }),
                        first_method_lead_hole_psnr = paired,
                    };
                }
                if (p.GetValue(json) is { } jsonPath)
                {
                    var document = new { images = folder, seed = seedValue, tile = tileSize, feather = p.GetValue(feather), photos = photos.Count, masks = report };
                    File.WriteAllText(jsonPath, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, IncludeFields = true }));
                }
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var m in loaded) m.Dispose();
            }
        });
        return command;
    }

    /// <summary>A mean with the half-width of its 95% interval (normal approximation over the tiles).</summary>
    public readonly record struct Figure(double Mean, double Half)
    {
        /// <summary>From values.</summary>
        public static Figure Of(IReadOnlyList<double> values)
        {
            double mean = values.Average();
            double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
            return new Figure(mean, 1.96 * sd / Math.Sqrt(values.Count));
        }
    }

    /// <summary>One method's figures over the tiles of one mask kind.</summary>
    public sealed record Summary(Figure HolePsnr, Figure MaskedSsim, Figure Ssim, Figure L1, Figure L2);

    private static List<(string Method, Summary Stats, List<double> HolePsnrs)> Evaluate(List<Sample> samples, List<Method> methods, CancellationToken cancellation)
    {
        var rows = new List<(string, Summary, List<double>)>();
        if (samples.Count == 0) return rows;
        foreach (Method method in methods)
        {
            var q = new List<ImageQuality>();
            foreach (Sample s in samples)
            {
                cancellation.ThrowIfCancellationRequested();
                byte[] result = method.Run(s);
                q.Add(QualityMetrics.Measure(Crop(s.Truth, s.Width, s.Score), Crop(result, s.Width, s.Score), CropMask(s.Holes, s.Width, s.Score), s.Score.Width, s.Score.Height));
            }
            var psnrs = q.Select(x => x.HolePsnr).ToList();
            rows.Add((method.Name, new Summary(Figure.Of(psnrs), Figure.Of(q.Select(x => x.MaskedSsim).ToList()),
                Figure.Of(q.Select(x => x.Ssim).ToList()), Figure.Of(q.Select(x => x.L1).ToList()), Figure.Of(q.Select(x => x.L2).ToList())), psnrs));
        }
        return rows;
    }

    private static double[] ParseRadii(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r is > 0 and <= 100 ? r
            : throw new UserError($"--cv-radius '{v}' is not a radius in (0, 100]")).ToArray();

    private static IReadOnlyList<MaskKind> ParseKinds(string text)
    {
        if (text == "all") return MaskKinds.Evaluated;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k =>
            MaskKinds.TryParse(k, out MaskKind kind) ? kind
                : throw new UserError($"--mask '{k}' is neither a mask kind ({MaskKinds.Words}, all) nor a folder")).ToList();
    }

    private static List<string> Photos(string folder, int limit)
    {
        var photos = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        return limit > 0 ? photos.Take(limit).ToList() : photos;
    }

    private static List<Sample> TileSamples(List<string> photos, MaskKind kind, int tile, int seed)
    {
        var files = new PhotoFile();
        var samples = new List<Sample>();
        for (int p = 0; p < photos.Count; p++)
        {
            using Image<Rgba32> photo = files.Read(photos[p]);
            double scale = 2.0 * tile / Math.Min(photo.Width, photo.Height);
            int w = Math.Max(2 * tile, (int)Math.Round(photo.Width * scale)), h = Math.Max(2 * tile, (int)Math.Round(photo.Height * scale));
            photo.Mutate(c => c.Resize(new ResizeOptions { Size = new Size(w, h), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Bicubic }));
            byte[] rgb = QualityMetrics.Rgb(photo);
            // The 2x2 grid of tiles scored, centred in the resized photo.
            CenterSquare grid = CenterSquare.In(w, h, 2 * tile);
            int left = grid.Left, top = grid.Top;
            for (int t = 0; t < 4; t++)
            {
                var score = new Rectangle(left + t % 2 * tile, top + t / 2 * tile, tile, tile);
                // Seeded by the run's seed, the photo, the tile and the kind: the same folder and seed give the same masks.
                bool[] tileHoles = MaskGenerator.Holes(kind, tile, tile, new Random(seed * 7919 + p * 4 + t + 1_000_003 * (int)kind));
                if (!tileHoles.Contains(true)) continue;
                var holes = new bool[w * h];
                for (int y = 0; y < tile; y++)
                    for (int x = 0; x < tile; x++)
                        holes[(score.Y + y) * w + score.X + x] = tileHoles[y * tile + x];
                samples.Add(new Sample(photos[p], t, rgb, holes, w, h, score));
            }
        }
        return samples;
    }

    private static List<Sample> FolderSamples(List<string> photos, string maskFolder)
    {
        var files = new PhotoFile();
        var maskByName = Directory.EnumerateFiles(maskFolder).GroupBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal)
            .ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (string path in photos)
        {
            if (!maskByName.TryGetValue(Path.GetFileNameWithoutExtension(path), out string? maskPath)) throw new UserError($"no mask named like '{Path.GetFileName(path)}' in '{maskFolder}'");
            using Image<Rgba32> photo = files.Read(path);
            using Image<Rgba32> maskImage = files.Read(maskPath);
            bool[] holes;
            try
            {
                holes = MaskRule.Read(maskImage, photo.Width, photo.Height).Holes;
            }
            catch (MaskSizeException e)
            {
                throw new UserError($"'{maskPath}': {e.Message}", e);
            }
            if (!holes.Contains(true)) continue;
            samples.Add(new Sample(path, 0, QualityMetrics.Rgb(photo), holes, photo.Width, photo.Height, new Rectangle(0, 0, photo.Width, photo.Height)));
        }
        return samples;
    }

    private static int Count(bool[] holes, int width, Rectangle r)
    {
        int n = 0;
        for (int y = r.Top; y < r.Bottom; y++)
            for (int x = r.Left; x < r.Right; x++)
                if (holes[y * width + x]) n++;
        return n;
    }

    private static byte[] Crop(byte[] rgb, int width, Rectangle r)
    {
        var result = new byte[3 * r.Width * r.Height];
        for (int y = 0; y < r.Height; y++)
            Array.Copy(rgb, 3 * ((r.Y + y) * width + r.X), result, 3 * y * r.Width, 3 * r.Width);
        return result;
    }

    private static bool[] CropMask(bool[] holes, int width, Rectangle r)
    {
        var result = new bool[r.Width * r.Height];
        for (int y = 0; y < r.Height; y++)
            Array.Copy(holes, (r.Y + y) * width + r.X, result, y * r.Width, r.Width);
        return result;
    }

    /// <summary>The input every method gets: the truth with hole pixels whitened (the damage).</summary>
    private static byte[] Damaged(Sample s)
    {
        var rgb = (byte[])s.Truth.Clone();
        for (int i = 0; i < s.Holes.Length; i++)
            if (s.Holes[i]) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 255;
        return rgb;
    }

    private static byte[] RunModel(PhotoRepairer repairer, Sample s, CancellationToken cancellation)
    {
        byte[] damaged = Damaged(s);
        using var image = new Image<Rgba32>(s.Width, s.Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < s.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < s.Width; x++)
                {
                    int i = 3 * (y * s.Width + x);
                    row[x] = new Rgba32(damaged[i], damaged[i + 1], damaged[i + 2], 255);
                }
            }
        });
        using var repaired = repairer.Repair(image, new HoleMap(s.Width, s.Height, s.Holes, MaskSource.Luminance), out _, cancellation: cancellation);
        return QualityMetrics.Rgb(repaired);
    }
}
