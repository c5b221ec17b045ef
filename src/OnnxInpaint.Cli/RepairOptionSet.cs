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
    private readonly Option<string> device = new Option<string>("--device") { Description = "auto (CUDA if usable, else CPU), cpu or cuda (no fallback)", DefaultValueFactory = _ => "auto" }.Only("auto", "cpu", "cuda");
    private readonly Option<int> deviceId = RepairSettings.DeviceId.ToOption();
    private readonly Option<int> threads = RepairSettings.Threads.ToOption();
    private readonly Option<int> batch = RepairSettings.Batch.ToOption();
    private readonly Option<bool> invert = new("--invert-mask") { Description = "Black = repair instead" };
    private readonly Option<bool> resizeMask = new("--resize-mask") { Description = "Scale a mask of another size to the photo (nearest neighbour)" };
    private readonly Option<int> grow = RepairSettings.Grow.ToOption();
    private readonly Option<int> groupDistance = RepairSettings.GroupDistance.ToOption();
    private readonly Option<int> feather = RepairSettings.Feather.ToOption();
    private readonly Option<double> magnification = RepairSettings.MaxMagnification.ToOption();
    private readonly Option<int> minCell = RepairSettings.MinCell.ToOption();
    private readonly Option<int> tile = RepairSettings.Tile.ToOption();
    private readonly Option<int> context = RepairSettings.Context.ToOption();
    private readonly Option<int> quality = RepairSettings.JpegQuality.ToOption();
    private readonly Option<long> maxPixels = RepairSettings.MaxPixels.ToOption();

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { model, device, deviceId, threads, batch, invert, resizeMask, grow, groupDistance, feather, magnification, minCell, tile, context, quality, maxPixels })
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
    };

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
