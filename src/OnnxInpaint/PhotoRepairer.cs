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
    private readonly Repair.TextureStage texture;
    private readonly RepairOptions options;
    private readonly ModelContract contract;

    /// <summary>Creates a repairer over a loaded model, or any other <see cref="IInpaintRunner"/> (e.g. a host's batcher).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option out of its range (<see cref="RepairOptions.Validate"/>).</exception>
    public PhotoRepairer(IInpaintRunner model, RepairOptions? options = null)
    {
        this.options = options ??= new RepairOptions();
        options.Validate();
        contract = model.Contract;
        strategy = model.Contract.Family == ModelFamily.Center ? new Repair.CenterStrategy(model, options) : new Repair.FreeformStrategy(model, options);
        texture = new Repair.TextureStage(options);
    }

    /// <summary>
    /// Throws if this repairer would refuse <paramref name="holes"/> for <paramref name="photo"/>: sizes that differ, and
    /// <see cref="HoleCheck"/>'s rules under <see cref="RepairOptions.AllowLargeHoles"/>. A host calls it before queueing.
    /// </summary>
    /// <exception cref="ArgumentException">The hole map and the photo differ in size.</exception>
    /// <exception cref="PhotoTooSmallException">The photo is below a freeform model's smallest size.</exception>
    /// <exception cref="LargeHolesException">No known pixel, or too large a share of holes.</exception>
    public void Check(Image<Rgba32> photo, HoleMap holes)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(holes);
        if (holes.Width != photo.Width || holes.Height != photo.Height)
            throw new ArgumentException($"the hole map is {holes.Width}x{holes.Height} but the photo is {photo.Width}x{photo.Height}");
        HoleCheck.Ensure(holes, contract, options.AllowLargeHoles);
    }

    /// <summary>
    /// Repairs <paramref name="photo"/> where <paramref name="holes"/> says; returns a new image (the caller owns it).
    /// Regions that <see cref="RepairOptions.Fill"/> sends to texture are synthesised with <see cref="RepairOptions.Seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The hole map and the photo differ in size, or the holes make no sense (<see cref="Check"/>).</exception>
    public Image<Rgba32> Repair(Image<Rgba32> photo, HoleMap holes, out RepairReport report,
        IProgress<RepairProgress>? progress = null, CancellationToken cancellation = default)
    {
        IReadOnlyList<Image<Rgba32>> one = Variants(photo, holes, 1, out IReadOnlyList<RepairReport> reports, progress, cancellation);
        report = reports[0];
        return one[0];
    }

    /// <summary>
    /// <paramref name="count"/> different repairs of one photo (Pluralistic Image Completion's idea): the model runs once,
    /// and the texture regions are synthesised with seeds <see cref="RepairOptions.Seed"/>, +1, ... Where no region gets
    /// texture, the variants are equal. The caller owns the images.
    /// </summary>
    /// <exception cref="ArgumentException">The hole map and the photo differ in size, or the holes make no sense (<see cref="Check"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> outside <see cref="RepairSettings.Variants"/>'s range.</exception>
    public IReadOnlyList<Image<Rgba32>> Variants(Image<Rgba32> photo, HoleMap holes, int count, out IReadOnlyList<RepairReport> reports,
        IProgress<RepairProgress>? progress = null, CancellationToken cancellation = default)
    {
        Check(photo, holes);
        if (RepairSettings.Variants.Check(count, nameof(count)) is { } problem) throw new ArgumentOutOfRangeException(nameof(count), problem);
        Image<Rgba32> smooth = strategy.Repair(photo, holes.Holes, out RepairReport report, progress, cancellation);
        long planStart = Stopwatch.GetTimestamp();
        Repair.TextureStage.Plan plan = texture.Find(holes.Holes, photo.Width, photo.Height); // once: every variant has the same regions
        TimeSpan planning = Stopwatch.GetElapsedTime(planStart);
        var images = new List<Image<Rgba32>>(count);
        var all = new List<RepairReport>(count);
        try
        {
            for (int v = 0; v < count; v++)
            {
                Image<Rgba32> image = v == count - 1 ? smooth : smooth.Clone();
                images.Add(image);
                int regions = texture.Apply(image, holes.Holes, plan, unchecked(options.Seed + v), cancellation, out TimeSpan elapsed);
                all.Add(report with { TextureRegions = regions, Texture = elapsed + (v == 0 ? planning : TimeSpan.Zero) });
            }
        }
        catch
        {
            foreach (var image in images) image.Dispose();
            if (!images.Contains(smooth)) smooth.Dispose();
            throw;
        }
        reports = all;
        return images;
    }
}
