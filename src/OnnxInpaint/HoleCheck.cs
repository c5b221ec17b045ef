using System.Globalization;
using Inpaint.Contract;
using Inpaint.Imaging;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// A hole map that marks more of the photo than a repair can sensibly fill: above <see cref="HoleCheck.LargeShare"/>
/// (usually a mask the wrong way round, or an all-white one) unless large holes are allowed, and never a map with no
/// known pixel at all (there is nothing to repair from). Front ends add how to ask for the other reading.
/// </summary>
public sealed class LargeHolesException : ArgumentException
{
    /// <summary>Creates the exception for a share of holes and the limit it passed.</summary>
    public LargeHolesException(double share, double limit) : base(Describe(share, limit))
    {
        Share = share;
        Limit = limit;
    }

    /// <summary>The share of the photo's pixels that are holes (0..1).</summary>
    public double Share { get; }

    /// <summary>The share allowed (1 when large holes were allowed: then only a map without known pixels is refused).</summary>
    public double Limit { get; }

    /// <summary>No pixel of the photo is known: allowing large holes cannot help.</summary>
    public bool NoKnownPixel => Share >= 1;

    private static string Describe(double share, double limit) => share >= 1
        ? "the mask marks every pixel of the photo as a hole: no known pixel is left to repair from"
        : string.Create(CultureInfo.InvariantCulture, $"the mask marks {share:P1} of the photo as holes, more than {limit:P0} (white = repair)");
}

/// <summary>A photo smaller than the model's smallest input (<see cref="ModelContract.MinSize"/>).</summary>
public sealed class PhotoTooSmallException(int width, int height, int minSize)
    : ArgumentException($"the photo is {width}x{height}; this model repairs photos of at least {minSize}x{minSize}")
{
    /// <summary>The photo's width.</summary>
    public int Width { get; } = width;

    /// <summary>The photo's height.</summary>
    public int Height { get; } = height;

    /// <summary>The model's smallest side.</summary>
    public int MinSize { get; } = minSize;
}

/// <summary>
/// What a repair refuses before it starts, the same for the library, the command line and the service: a photo
/// below a freeform model's smallest size, a hole map with no known pixel, and (unless allowed) one whose holes
/// cover more than <see cref="LargeShare"/> of the photo. A centre-patch model magnifies small photos into its
/// window instead, so the size rule is the freeform family's.
/// </summary>
public static class HoleCheck
{
    /// <summary>
    /// The largest share of a photo that may be holes without <see cref="RepairOptions.AllowLargeHoles"/>: above it the
    /// mask is far likelier to be inverted than meant (a repair copies from what is known, and 40 % is little to copy from).
    /// </summary>
    public const double LargeShare = 0.6;

    /// <summary>The largest share of holes a repair accepts: <see cref="LargeShare"/>, or 1 when large holes are allowed.</summary>
    public static double Limit(bool allowLargeHoles) => allowLargeHoles ? 1 : LargeShare;

    /// <summary>Throws when a repair of <paramref name="holes"/> with <paramref name="contract"/>'s model makes no sense.</summary>
    /// <exception cref="PhotoTooSmallException">A freeform model and a side below its <see cref="ModelContract.MinSize"/>.</exception>
    /// <exception cref="LargeHolesException">No known pixel, or more than <see cref="LargeShare"/> holes without <paramref name="allowLargeHoles"/>.</exception>
    public static void Ensure(HoleMap holes, ModelContract contract, bool allowLargeHoles)
    {
        ArgumentNullException.ThrowIfNull(holes);
        if (contract.Family == ModelFamily.Freeform && Math.Min(holes.Width, holes.Height) < contract.MinSize)
            throw new PhotoTooSmallException(holes.Width, holes.Height, contract.MinSize);
        double share = holes.Share;
        double limit = Limit(allowLargeHoles);
        if (share >= 1 || share > limit) throw new LargeHolesException(share, limit);
    }
}
