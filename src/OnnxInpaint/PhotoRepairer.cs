using System.Diagnostics;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using Inpaint.Contract;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// Repairs photos of any size with an "inpaint/1" model, with the strategy of the model's family: context windows
/// around each hole for a center model (<see cref="Repair.CenterStrategy"/>), tiles at the photo's own
/// scale for a freeform model (<see cref="Repair.FreeformStrategy"/>). Every pixel that is not a hole, alpha
/// included, is copied unchanged. The repairer holds no session of its own: share the model.
/// </summary>
public sealed class PhotoRepairer
{
    private readonly Repair.IRepairStrategy strategy;

    /// <summary>Creates a repairer over a loaded model, or any other <see cref="IInpaintRunner"/> (e.g. a host's batcher).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option out of its range (<see cref="RepairOptions.Validate"/>).</exception>
    public PhotoRepairer(IInpaintRunner model, RepairOptions? options = null)
    {
        options ??= new RepairOptions();
        options.Validate();
        strategy = model.Contract.Family == ModelFamily.Center ? new Repair.CenterStrategy(model, options) : new Repair.FreeformStrategy(model, options);
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
