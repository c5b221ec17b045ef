using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>How one model family turns a photo and its holes into model calls and back.</summary>
internal interface IRepairStrategy
{
    /// <summary>Repairs the hole pixels (row-major flags of the photo's size); returns a new image.</summary>
    Image<Rgba32> Repair(Image<Rgba32> photo, bool[] holes, out RepairReport report, IProgress<RepairProgress>? progress, CancellationToken cancellation);
}
