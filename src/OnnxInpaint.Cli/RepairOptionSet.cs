using System.CommandLine;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli;

/// <summary>
/// <c>repair</c>'s options for the model, the mask rules, the repair and the files, each bound from its
/// <see cref="RepairSettings"/> definition, and what they make: the loaded model, the mask reading, the
/// <see cref="RepairOptions"/> and the <see cref="PhotoFile"/>.
/// </summary>
internal sealed class RepairOptionSet
{
    private readonly Option<string?> model = new("--model") { Description = $"Inpaint ONNX model (default: models/{ModelLocator.DefaultModelName})" };
    private readonly Option<string> device = DeviceOption();
    private readonly Option<int> deviceId = RepairSettings.DeviceId.ToOption();
    private readonly Option<int> threads = RepairSettings.Threads.ToOption();
    private readonly Option<int> batch = RepairSettings.Batch.ToOption();
    private readonly Option<bool> invert = new("--invert-mask") { Description = "Black = repair instead" };
    private readonly Option<bool> resizeMask = new("--resize-mask") { Description = "Scale a mask of another size to the photo (nearest neighbour)" };
    private readonly Option<bool> allowLargeHoles = new("--allow-large-holes")
    {
        Description = $"Repair even when the holes cover more than {HoleCheck.LargeShare:P0} of the photo (such a mask is refused: it is usually inverted)",
    };
    private readonly Option<int> grow = RepairSettings.Grow.ToOption();
    private readonly Option<int> groupDistance = RepairSettings.GroupDistance.ToOption();
    private readonly Option<int> feather = RepairSettings.Feather.ToOption();
    private readonly Option<double> magnification = RepairSettings.MaxMagnification.ToOption();
    private readonly Option<int> minCell = RepairSettings.MinCell.ToOption();
    private readonly Option<int> tile = RepairSettings.Tile.ToOption();
    private readonly Option<int> context = RepairSettings.Context.ToOption();
    private readonly Option<string> fill = FillOption();
    private readonly Option<int> textureDepth = RepairSettings.TextureDepth.ToOption();
    private readonly Option<int> seed = RepairSettings.Seed.ToOption();
    private readonly Option<int> variants = RepairSettings.Variants.ToOption(
        $"{RepairSettings.Variants.Help}: OUT-1.png, OUT-2.png, ...");
    private readonly Option<int> quality = RepairSettings.JpegQuality.ToOption();
    private readonly Option<long> maxPixels = RepairSettings.MaxPixels.ToOption();

    /// <summary><c>--device auto|cpu|cuda</c>, as every command that runs a model takes it.</summary>
    public static Option<string> DeviceOption() =>
        new Option<string>("--device") { Description = "auto (CUDA if usable, else CPU), cpu or cuda (no fallback)", DefaultValueFactory = _ => "auto" }.Only("auto", "cpu", "cuda");

    /// <summary>The damage detector on the device these options ask for (<c>repair --auto</c>).</summary>
    public DamageDetector LoadDetector(ParseResult p, DetectorOptionSet detector, Action<string>? log) =>
        detector.Load(p, p.GetValue(device)!, p.GetValue(deviceId), p.GetValue(threads), log);

    /// <summary>How far holes are grown (<c>--grow</c>), for the detected holes of <c>repair --auto</c>.</summary>
    public int Grow(ParseResult p) => p.GetValue(grow);

    /// <summary><c>--fill auto|smooth|texture</c>, as <c>repair</c> and <c>bench</c> take it; <see cref="Fill"/> reads it.</summary>
    public static Option<string> FillOption() => new Option<string>("--fill")
    {
        Description = "What fills each hole region: auto (texture for large regions, the model's fill for thin damage), smooth (the model's fill) or texture",
        DefaultValueFactory = _ => FillMode.Auto.Word(),
    }.Only(Enum.GetValues<FillMode>().Select(m => m.Word()).ToArray());

    /// <summary>The mode a <see cref="FillOption"/> holds.</summary>
    public static FillMode Fill(ParseResult p, Option<string> option) => FillModes.TryParse(p.GetValue(option), out FillMode mode) ? mode : FillMode.Auto;

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { model, device, deviceId, threads, batch, invert, resizeMask, allowLargeHoles, grow, groupDistance, feather, magnification, minCell, tile, context, fill, textureDepth, seed, variants, quality, maxPixels })
            command.Options.Add(option);
    }

    /// <summary>The model the options name, on the device they ask for.</summary>
    public InpaintModel LoadModel(ParseResult p, Action<string>? log) =>
        InpaintCli.LoadModel(p.GetValue(model), p.GetValue(device)!, p.GetValue(deviceId), p.GetValue(threads), p.GetValue(batch), log);

    /// <summary>The repair's options.</summary>
    public RepairOptions Repair(ParseResult p) => new()
    {
        GroupDistance = p.GetValue(groupDistance), Feather = p.GetValue(feather), MaxMagnification = p.GetValue(magnification),
        MinCell = p.GetValue(minCell), Tile = p.GetValue(tile), Context = p.GetValue(context),
        Fill = Fill(p, fill), TextureDepth = p.GetValue(textureDepth), Seed = p.GetValue(seed), AllowLargeHoles = p.GetValue(allowLargeHoles),
    };

    /// <summary>How many fills to write.</summary>
    public int Variants(ParseResult p) => p.GetValue(variants);

    /// <summary>How masks are read.</summary>
    public MaskReading Masks(ParseResult p) => new(new MaskOptions(p.GetValue(invert), p.GetValue(resizeMask), p.GetValue(grow)));

    /// <summary>The reader and writer of photos, with the pixel limit and the JPEG quality.</summary>
    public PhotoFile Files(ParseResult p) => new(p.GetValue(maxPixels)) { JpegQuality = p.GetValue(quality) };
}

/// <summary>The mask rules of the command line, with its words for a mask of the wrong size.</summary>
/// <param name="Options">Invert, resize, grow.</param>
internal sealed record MaskReading(MaskOptions Options)
{
    /// <summary>The holes of <paramref name="mask"/> for a photo of <paramref name="width"/> x <paramref name="height"/>.</summary>
    /// <exception cref="UserError">A mask of another size without <c>--resize-mask</c>.</exception>
    public HoleMap Holes(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32> mask, int width, int height)
    {
        try
        {
            return MaskRule.Read(mask, width, height, Options);
        }
        catch (MaskSizeException e)
        {
            throw new UserError($"{e.Message} (use --resize-mask to scale it)", e);
        }
    }

    /// <summary>For <c>--verbose</c>: the rule used and what came of it.</summary>
    public string Describe(HoleMap holes) =>
        $"mask rule {holes.Source}{(Options.Invert ? " inverted" : "")}, {holes.Count:N0} hole pixels{(Options.Grow > 0 ? $" after growing by {Options.Grow} px" : "")}";
}
