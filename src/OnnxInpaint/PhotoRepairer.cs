using System.Diagnostics;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using Inpaint.Contract;

namespace Inpaint.OnnxInpaint;

/// <summary>Options of <see cref="PhotoRepairer"/>.</summary>
public sealed record RepairOptions
{
    /// <summary>
    /// Centre-patch models: group holes closer than this many pixels into one region, so they share windows (only real
    /// hole pixels are written). -1 (the default): an eighth of the model's blank square, so that a dust of tiny holes
    /// does not become one window per speck.
    /// </summary>
    public int Dilation { get; init; } = -1;

    /// <summary>Window placement.</summary>
    public PlannerOptions Planner { get; init; } = new();

    /// <summary>Windows per model call (0: the model's <see cref="InpaintModelOptions.BatchSize"/>).</summary>
    public int BatchSize { get; init; }

    /// <summary>Free-form models: side of the tiles a photo is cut into (0: twice the model's training tile).</summary>
    public int Tile { get; init; }

    /// <summary>Free-form models: known pixels each tile carries around its core (0: the model's <c>inpaint.context</c>).</summary>
    public int Context { get; init; }
}

/// <summary>Progress of a repair.</summary>
/// <param name="WindowsDone">Windows inpainted so far.</param>
/// <param name="Windows">Windows in all.</param>
public readonly record struct RepairProgress(int WindowsDone, int Windows);

/// <summary>What a repair did.</summary>
public sealed record RepairReport
{
    /// <summary>Hole pixels written.</summary>
    public int HolePixels { get; init; }

    /// <summary>Regions found.</summary>
    public int Regions { get; init; }

    /// <summary>Model windows run.</summary>
    public int Windows { get; init; }

    /// <summary>Model calls made.</summary>
    public int Batches { get; init; }

    /// <summary>Time planning and pre-filling context.</summary>
    public TimeSpan Planning { get; init; }

    /// <summary>Time sampling windows and in the model.</summary>
    public TimeSpan Inference { get; init; }

    /// <summary>Time scaling back and writing hole pixels.</summary>
    public TimeSpan Pasting { get; init; }

    /// <summary>Scales repaired: 1, or more when holes larger than a tile were first repaired at a reduced scale.</summary>
    public int Scales { get; init; } = 1;
}

/// <summary>
/// Repairs photos of any size with an "inpaint/1" model, with the strategy of the model's family: context windows
/// around each hole for a centre-patch model (<see cref="Repair.CenterPatchStrategy"/>), tiles at the photo's own
/// scale for a free-form model (<see cref="Repair.FreeformStrategy"/>). Every pixel that is not a hole, alpha
/// included, is copied unchanged. The repairer holds no session of its own: share the model.
/// </summary>
public sealed class PhotoRepairer
{
    private readonly Repair.IRepairStrategy strategy;

    /// <summary>Creates a repairer over a loaded model, or any other <see cref="IInpaintRunner"/> (e.g. a host's batcher).</summary>
    public PhotoRepairer(IInpaintRunner model, RepairOptions? options = null)
    {
        options ??= new RepairOptions();
        strategy = model.Contract.Family == ModelFamily.Center ? new Repair.CenterPatchStrategy(model, options) : new Repair.FreeformStrategy(model, options);
    }

    /// <summary>Repairs <paramref name="photo"/> where <paramref name="holes"/> says; returns a new image.</summary>
    /// <exception cref="ArgumentException">The hole map and the photo differ in size.</exception>
    public Image<Rgba32> Repair(Image<Rgba32> photo, HoleMap holes, out RepairReport report,
        IProgress<RepairProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (holes.Width != photo.Width || holes.Height != photo.Height)
            throw new ArgumentException($"the hole map is {holes.Width}x{holes.Height} but the photo is {photo.Width}x{photo.Height}");
        return strategy.Repair(photo, holes.Holes, out report, progress, cancellation);
    }
}
