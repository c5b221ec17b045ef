using System.CommandLine;
using System.Globalization;
using Inpaint.Masks;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli.Evaluation;

/// <summary>
/// <c>inpaint eval --images DIR --mask KINDS|MASK_DIR</c>: models beside OpenCV's Telea, Navier-Stokes and xphoto on the same
/// held-out photos and holes, with the same repair settings a user gets. Each photo (searched recursively) is
/// resized so its shorter side is twice the tile; the centred square of that side holds a 2x2 grid of tiles, and
/// for each tile and mask kind a seeded mask is drawn at the tile's place in the whole photo. Every method repairs
/// the whole photo (so windows near a tile's edge see the real photo around it) and the tile is scored: hole-PSNR,
/// SSIM over the windows touching the hole, SSIM over the tile, L1 and L2 over the hole, each as a mean with its
/// 95% interval over the tiles, and the realism measures (texture ratio, patch SWD; <see cref="Imaging.RealismAccumulator"/>)
/// pooled over the tiles with the run's seed. With a mask folder, whole photos are scored with the user's masks.
/// </summary>
internal static class EvalCommand
{
    private static readonly Option<string> Images = new("--images") { Description = "Folder of held-out photos (searched recursively)", Required = true };
    private static readonly Option<string> Masks = new("--mask")
    {
        Description = $"Mask kinds, comma-separated ({MaskKinds.Words}; 'all' = {string.Join(", ", MaskKinds.Evaluated.Select(k => k.Word()))}), or a folder of masks named like the photos",
        DefaultValueFactory = _ => MaskKind.Center.Word(),
    };
    private static readonly Option<string[]> Models = new("--model") { Description = $"Inpaint ONNX model(s) to compare; repeat the option (default: models/{ModelLocator.DefaultModelName})", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<int> Tile = new Option<int>("--tile") { Description = "Tile side in pixels (generated masks)", DefaultValueFactory = _ => 128 }.InRange(16, 2048);
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the generated masks and of the patch SWD's draws", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Feather = RepairSettings.Feather.ToOption("Blend width between windows or tiles (as `repair`)");
    private static readonly Option<string> Radii = new("--cv-radius") { Description = "Neighbourhood radii of OpenCV's Telea and Navier-Stokes, comma-separated (empty: none)", DefaultValueFactory = _ => "3,5" };
    private static readonly Option<string> XPhoto = new("--cv-xphoto")
    {
        // Shift-map is not on by default: about 2 s a repair of a 256-px-high eval photo, four repairs a photo and kind (docs/quality.md).
        Description = "opencv_contrib xphoto baselines, comma-separated: fsr (frequency selective reconstruction, fast profile), shiftmap (slow: about 2 s a repair); empty: none",
        DefaultValueFactory = _ => "fsr",
    };
    private static readonly Option<string> Fills = new("--fill")
    {
        Description = $"Fill modes to score each model with, comma-separated ({FillModes.Words}); each is a row",
        DefaultValueFactory = _ => FillMode.Auto.Word(),
    };
    private static readonly Option<int> TextureDepth = RepairSettings.TextureDepth.ToOption();
    private static readonly Option<int> Variants = RepairSettings.Variants.ToOption("Variants each model repair makes (seeds 1, 2, ...): the first is scored, all of them give the diversity column (mean pairwise hole L1)");
    private static readonly Option<int> Limit = new Option<int>("--limit") { Description = "Use at most this many photos (0: all)", DefaultValueFactory = _ => 0 }.InRange(0, 1_000_000);
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the results as JSON to this file" };
    private static readonly Option<string> Device = new("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> RepairTile = RepairSettings.Tile.ToOption("Freeform models: `repair --tile`", name: "--repair-tile");
    private static readonly Option<int> Context = RepairSettings.Context.ToOption("Freeform models: `repair --context`");

    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var command = new Command("eval", "Measures models beside OpenCV baselines on held-out photos: hole-PSNR, SSIM, L1, L2 with 95% intervals, texture ratio and patch SWD")
        {
            Images, Masks, Models, Tile, Seed, Feather, Radii, XPhoto, Fills, TextureDepth, Variants, Limit, Json, Device, RepairTile, Context,
        };
        command.SetAction(p => Run(p, stdout, cancellation));
        return command;
    }

    private static int Run(ParseResult p, TextWriter stdout, CancellationToken cancellation)
    {
        string folder = p.GetValue(Images)!;
        if (!Directory.Exists(folder)) throw new UserError($"image folder '{folder}' does not exist");
        double[] radii = ParseRadii(p.GetValue(Radii)!);
        XPhotoMethod[] xphoto = ParseXPhoto(p.GetValue(XPhoto)!);
        if (radii.Length > 0 || xphoto.Length > 0) OpenCvBaselines.EnsureAvailable();
        var photos = EvalSamples.Photos(folder, p.GetValue(Limit));
        if (photos.Count == 0) throw new UserError($"'{folder}' holds no PNG, JPEG, BMP or WebP photos");
        var sets = Sets(p, photos);

        string?[] modelPaths = p.GetValue(Models) is { Length: > 0 } given ? given : new string?[] { null };
        var loaded = modelPaths.Select(m => InpaintCli.LoadModel(m, p.GetValue(Device)!, 0, 0, RepairSettings.Batch.Default, null)).ToList();
        try
        {
            // Eval scores the masks it is given, however large (a generated or a user's mask is meant as it is).
            var options = new RepairOptions
            {
                Feather = p.GetValue(Feather), Tile = p.GetValue(RepairTile), Context = p.GetValue(Context), TextureDepth = p.GetValue(TextureDepth), AllowLargeHoles = true,
            };
            FillMode[] fills = ParseFills(p.GetValue(Fills)!);
            var methods = loaded.Zip(modelPaths, (model, path) => (model, path))
                .SelectMany(m => fills.Select(fill => EvalMethod.Model(m.model, m.path, options with { Fill = fill }, fills.Length > 1, p.GetValue(Variants), cancellation)))
                .Concat(EvalMethod.OpenCv(radii)).Concat(EvalMethod.XPhoto(xphoto)).ToList();
            stdout.WriteLine($"{photos.Count} photos from {folder}; models on {string.Join(", ", loaded.Select(m => m.ActiveExecutionProvider).Distinct())}; " +
                             $"repair settings as `repair` (feather {options.Feather}); mean and 95% interval over tiles; texture ratio and patch SWD pooled over a kind's tiles (seed {p.GetValue(Seed)})");
            var report = new EvalReport(stdout);
            foreach (var (name, makeSamples) in sets)
            {
                cancellation.ThrowIfCancellationRequested();
                List<EvalSample> samples = makeSamples();
                report.Add(name, samples, MethodResult.Evaluate(samples, methods, p.GetValue(Seed), cancellation), p.GetValue(Seed));
            }
            if (p.GetValue(Json) is { } jsonPath)
                report.WriteJson(jsonPath, folder, p.GetValue(Seed), p.GetValue(Tile), options.Feather, photos.Count);
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var m in loaded) m.Dispose();
        }
    }

    /// <summary>The sets of samples to score, named, made one at a time: one per mask kind, or the user's mask folder.</summary>
    private static List<(string Name, Func<List<EvalSample>> Samples)> Sets(ParseResult p, List<string> photos)
    {
        string masks = p.GetValue(Masks)!;
        if (Directory.Exists(masks))
            return [(Path.GetFileName(Path.TrimEndingDirectorySeparator(masks)), () => EvalSamples.FromFolder(photos, masks))];
        int tile = p.GetValue(Tile), seed = p.GetValue(Seed);
        return ParseKinds(masks).Select(k => (k.Word(), (Func<List<EvalSample>>)(() => EvalSamples.Tiles(photos, k, tile, seed)))).ToList();
    }

    private static FillMode[] ParseFills(string text)
    {
        var fills = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w =>
            FillModes.TryParse(w, out FillMode mode) ? mode : throw new UserError($"--fill '{w}' is not one of {FillModes.Words}")).Distinct().ToArray();
        return fills.Length > 0 ? fills : throw new UserError($"--fill needs at least one of {FillModes.Words}");
    }

    private static double[] ParseRadii(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r is > 0 and <= 100 ? r
            : throw new UserError($"--cv-radius '{v}' is not a radius in (0, 100]")).ToArray();

    private static XPhotoMethod[] ParseXPhoto(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(v => v switch
        {
            "fsr" or "fsr-fast" => XPhotoMethod.FsrFast,
            "shiftmap" or "shift-map" => XPhotoMethod.ShiftMap,
            _ => throw new UserError($"--cv-xphoto '{v}' is not an xphoto method (fsr, shiftmap)"),
        }).Distinct().ToArray();

    private static IReadOnlyList<MaskKind> ParseKinds(string text)
    {
        if (text == "all") return MaskKinds.Evaluated;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k =>
            MaskKinds.TryParse(k, out MaskKind kind) ? kind
                : throw new UserError($"--mask '{k}' is neither a mask kind ({MaskKinds.Words}, all) nor a folder")).ToList();
    }
}
