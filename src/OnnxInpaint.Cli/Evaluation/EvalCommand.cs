using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Inpaint.OnnxInpaint;
using Inpaint.OnnxInpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using OpenCvSharp;
using Size = SixLabors.ImageSharp.Size;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Cli.Evaluation;

/// <summary>
/// <c>inpaint eval --images DIR --mask KIND|MASK_DIR</c>: the model beside OpenCV's Telea and Navier-Stokes on
/// the same held-out images and holes. Each photo is resized so its shorter side is twice the tile, centre-
/// cropped and cut into four tiles; generated masks are seeded per tile and reproducible. With a mask folder,
/// whole photos are used with the mask of the same name.
/// </summary>
internal static class EvalCommand
{
    private sealed record Sample(string Name, byte[] Truth, bool[] Holes, int Width, int Height);

    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var images = new Option<string>("--images") { Description = "Folder of held-out photos", Required = true };
        var mask = new Option<string>("--mask") { Description = "center, square, freeform, scratch, text, or a folder of masks named like the photos", DefaultValueFactory = _ => "center" };
        var model = new Option<string?>("--model") { Description = $"Inpaint ONNX model (default: models/{ModelLocator.DefaultModelName})" };
        var tile = new Option<int>("--tile") { Description = "Tile side in pixels (generated masks)", DefaultValueFactory = _ => 128 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated masks", DefaultValueFactory = _ => 1 };
        var feather = new Option<int>("--feather") { Description = "Blend width between windows (0: the centre hole of a tile is exactly the model's input)", DefaultValueFactory = _ => 0 };
        var magnification = new Option<double>("--max-magnification") { Description = "Most a small hole's window is magnified (model px per image px)", DefaultValueFactory = _ => new PlannerOptions().MaxMagnification };
        var minCell = new Option<int>("--min-cell") { Description = "Smallest cell when long holes are cut into windows (0: half the model's blank square)", DefaultValueFactory = _ => 0 };
        var radius = new Option<double>("--cv-radius") { Description = "Neighbourhood radius of OpenCV's Telea and Navier-Stokes", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var command = new Command("eval", "Measures hole-PSNR, PSNR, SSIM, L1 and L2 of the model, Telea and Navier-Stokes on held-out photos")
        {
            images, mask, model, tile, seed, feather, magnification, minCell, radius, json, device,
        };
        command.SetAction(p =>
        {
            OpenCvBaselines.EnsureAvailable();
            string folder = p.GetValue(images)!;
            if (!Directory.Exists(folder)) throw new UserError($"image folder '{folder}' does not exist");
            string maskArg = p.GetValue(mask)!;
            int tileSize = p.GetValue(tile);
            if (tileSize < 16) throw new UserError("--tile must be at least 16");
            var samples = Load(folder, maskArg, tileSize, p.GetValue(seed));
            if (samples.Count == 0) throw new UserError($"'{folder}' holds no readable PNG, JPEG, BMP or WebP photos");
            using InpaintModel loaded = InpaintCli.LoadModel(p.GetValue(model), p.GetValue(device)!, 0, 0, 8, null);
            var repairer = new PhotoRepairer(loaded, new RepairOptions { Planner = new PlannerOptions { Feather = Math.Max(0, p.GetValue(feather)), MaxMagnification = p.GetValue(magnification), MinCell = p.GetValue(minCell) } });
            var methods = new (string Name, Func<Sample, byte[]> Run)[]
            {
                ($"model ({loaded.Contract.Architecture})", s => RunModel(repairer, s, cancellation)),
                ("opencv telea", s => OpenCvBaselines.Inpaint(Damaged(s), s.Holes, s.Width, s.Height, InpaintTypes.Telea, p.GetValue(radius))),
                ("opencv navier-stokes", s => OpenCvBaselines.Inpaint(Damaged(s), s.Holes, s.Width, s.Height, InpaintTypes.NS, p.GetValue(radius))),
            };
            var results = new Dictionary<string, ImageQuality>();
            foreach (var (name, run) in methods)
            {
                var qualities = samples.Select(s => QualityMetrics.Measure(s.Truth, run(s), s.Holes, s.Width, s.Height)).ToList();
                results[name] = new ImageQuality(qualities.Average(q => q.Psnr), qualities.Average(q => q.HolePsnr), qualities.Average(q => q.Ssim),
                    qualities.Average(q => q.L1), qualities.Average(q => q.L2));
            }
            double holeShare = samples.Average(s => s.Holes.Count(h => h) / (double)s.Holes.Length);
            stdout.WriteLine($"{samples.Count} images from {folder}, mask {maskArg} (seed {p.GetValue(seed)}, {holeShare:P1} of pixels are holes), model on {loaded.ActiveExecutionProvider}");
            stdout.WriteLine($"{"method",-28} {"hole-PSNR",10} {"PSNR",8} {"SSIM",8} {"L1",8} {"L2",9}");
            foreach (var (name, q) in results)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {q.HolePsnr,10:F2} {q.Psnr,8:F2} {q.Ssim,8:F4} {q.L1,8:F4} {q.L2,9:F5}"));
            if (p.GetValue(json) is { } jsonPath)
            {
                var document = new
                {
                    images = folder, mask = maskArg, seed = p.GetValue(seed), tile = tileSize, count = samples.Count, hole_share = holeShare,
                    model = loaded.Contract.Architecture, results = results.ToDictionary(kv => kv.Key, kv => new
                    {
                        hole_psnr = kv.Value.HolePsnr, psnr = kv.Value.Psnr, ssim = kv.Value.Ssim, l1 = kv.Value.L1, l2 = kv.Value.L2,
                    }),
                };
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<Sample> Load(string folder, string maskArg, int tile, int seed)
    {
        var files = new PhotoFile();
        var photos = Directory.EnumerateFiles(folder).Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var samples = new List<Sample>();
        bool generated = Enum.TryParse(maskArg, ignoreCase: true, out MaskKind kind);
        if (!generated && !Directory.Exists(maskArg))
            throw new UserError($"--mask '{maskArg}' is neither a mask kind (center, square, freeform, scratch, text) nor a folder");
        var maskByName = generated ? new Dictionary<string, string>()
            : Directory.EnumerateFiles(maskArg).GroupBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal)
                .ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        foreach (string path in photos)
        {
            using Image<Rgba32> photo = files.Read(path);
            if (!generated)
            {
                if (!maskByName.TryGetValue(Path.GetFileNameWithoutExtension(path), out string? maskPath)) throw new UserError($"no mask named like '{Path.GetFileName(path)}' in '{maskArg}'");
                using Image<Rgba32> maskImage = files.Read(maskPath);
                samples.Add(new Sample(Path.GetFileName(path), Rgb(photo), MaskRule.Read(maskImage, photo.Width, photo.Height).Holes, photo.Width, photo.Height));
                continue;
            }
            photo.Mutate(c => c.Resize(new ResizeOptions { Size = new Size(2 * tile, 2 * tile), Mode = ResizeMode.Crop, Sampler = KnownResamplers.Bicubic }));
            for (int t = 0; t < 4; t++)
            {
                using Image<Rgba32> crop = photo.Clone(c => c.Crop(new Rectangle(t % 2 * tile, t / 2 * tile, tile, tile)));
                // Seeded by the run's seed and the tile's index: the same folder and seed give the same masks.
                samples.Add(new Sample($"{Path.GetFileName(path)}#{t}", Rgb(crop), MaskGenerator.Make(kind, tile, seed * 7919 + samples.Count), tile, tile));
            }
        }
        return samples;
    }

    private static byte[] Rgb(Image<Rgba32> image)
    {
        var rgb = new byte[3 * image.Width * image.Height];
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                int i = 3 * (y * image.Width + x);
                rgb[i] = p.R; rgb[i + 1] = p.G; rgb[i + 2] = p.B;
            }
        return rgb;
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
        for (int i = 0; i < s.Holes.Length; i++) image[i % s.Width, i / s.Width] = new Rgba32(damaged[3 * i], damaged[3 * i + 1], damaged[3 * i + 2], 255);
        using var repaired = repairer.Repair(image, new HoleMap(s.Width, s.Height, s.Holes, MaskSource.Luminance), out _, cancellation: cancellation);
        return Rgb(repaired);
    }
}
