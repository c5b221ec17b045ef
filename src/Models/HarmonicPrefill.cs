using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// The freeform family's classical pre-fill as tensor ops (the exporter emits the same ops into the ONNX graph):
/// <list type="number">
/// <item>Push: premultiplied colour P = image * known and weight W = known are averaged 2x2 (ceil mode, so any size
/// works) <see cref="PrefillSpec.Levels"/> times; P / W at a level is the mean of the known pixels under each cell.</item>
/// <item>At the coarsest level a cell takes that mean, or the image's mean known colour where it holds no known pixel.</item>
/// <item>Pull, coarse to fine: the coarser result is upsampled bilinearly; cells that are fully known (W = 1) keep their
/// own mean; the others are relaxed with Jacobi sweeps (each becomes the mean of its 4 neighbours, edges
/// replicated), which solves Laplace's equation in the holes: a smooth (harmonic) fill.</item>
/// </list>
/// Known pixels come out exactly as they went in. Values are in any range (the fill is an average of known values).
/// </summary>
public sealed class HarmonicPrefill : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>A cell counts as fully known when its known share is at least this.</summary>
    public const float FullyKnown = 1f - 1e-6f;

    /// <summary>Smallest weight divided by (a cell with no known pixel has P = W = 0 and is not used).</summary>
    public const float TinyWeight = 1e-12f;

    private readonly PrefillSpec spec;
    private readonly Tensor neighbours, relaxation;

    // Held for the module's lifetime (see SpecBlock on TorchSharp's temporary Scalars).
    private readonly Scalar one = 1.0.ToScalar(), zero = 0.0.ToScalar(), halfWay = 0.5.ToScalar(),
        tiny = ((double)TinyWeight).ToScalar(), fullyKnown = ((double)FullyKnown).ToScalar();

    /// <summary>Creates the fill.</summary>
    public HarmonicPrefill(PrefillSpec spec) : base("HarmonicPrefill")
    {
        spec.Validate();
        this.spec = spec;
        neighbours = torch.tensor(NeighbourKernel(), [3, 1, 3, 3]);
        relaxation = torch.tensor(RelaxationKernel(spec.Omega), [3, 1, 3, 3]);
        register_buffer("neighbours", neighbours, persistent: false);
        register_buffer("relaxation", relaxation, persistent: false);
    }

    /// <summary>The spec.</summary>
    public PrefillSpec Spec => spec;

    /// <summary>The depthwise kernel averaging the 4 neighbours, [3,1,3,3], one per RGB channel (the exporter writes the same values).</summary>
    public static float[] NeighbourKernel() => Enumerable.Repeat(new[] { 0, 0.25f, 0, 0.25f, 0, 0.25f, 0, 0.25f, 0 }, 3).SelectMany(v => v).ToArray();

    /// <summary>
    /// The over-relaxation kernel, [3,1,3,3]: <c>(1 - omega)</c> at the centre and <c>omega / 4</c> on the 4 neighbours,
    /// so one depthwise convolution gives <c>(1 - omega) u + omega * mean of 4 neighbours</c>.
    /// </summary>
    public static float[] RelaxationKernel(double omega)
    {
        float w = (float)(omega / 4), c = (float)(1 - omega);
        return Enumerable.Repeat(new[] { 0, w, 0, w, c, w, 0, w, 0 }, 3).SelectMany(v => v).ToArray();
    }

    /// <summary>Fills the holes of <paramref name="image"/> [N,3,H,W] where <paramref name="hole"/> [N,1,H,W] is 1.</summary>
    public override Tensor forward(Tensor image, Tensor hole)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor known = hole.neg().add_(one);
        var colour = new List<Tensor> { image * known };
        var weight = new List<Tensor> { known };
        for (int l = 1; l <= spec.Levels; l++)
        {
            colour.Add(nn.functional.avg_pool2d(colour[l - 1], 2, 2, ceil_mode: true, count_include_pad: false));
            weight.Add(nn.functional.avg_pool2d(weight[l - 1], 2, 2, ceil_mode: true, count_include_pad: false));
        }
        // Mean known colour of each image: the value of coarse cells with nothing known under them.
        Tensor mean = colour[0].sum([2, 3], keepdim: true) / weight[0].sum([2, 3], keepdim: true).clamp_min(tiny);
        Tensor u = torch.where(weight[spec.Levels].gt(zero), colour[spec.Levels] / weight[spec.Levels].clamp_min(tiny), mean);
        for (int l = spec.Levels; l >= 0; l--)
        {
            Tensor own = colour[l] / weight[l].clamp_min(tiny);
            Tensor fixedCells = weight[l].ge(fullyKnown);
            if (l < spec.Levels)
            {
                long h = own.shape[2], w = own.shape[3];
                u = nn.functional.interpolate(u, size: [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
            }
            u = torch.where(fixedCells, own, u);
            if (spec.Omega > 0 && spec.SweepsAt(l) > 0)
            {
                // Red-black over-relaxation: red cells have an even x + y.
                long h = own.shape[2], w = own.shape[3];
                Tensor red = Checkerboard(h, w).to(image.device);
                Tensor free = fixedCells.logical_not();
                Tensor updateRed = free.logical_and(red), updateBlack = free.logical_and(red.logical_not());
                for (int sweep = 0; sweep < spec.SweepsAt(l); sweep++)
                {
                    u = torch.where(updateRed, nn.functional.conv2d(nn.functional.pad(u, [1, 1, 1, 1], PaddingModes.Replicate), relaxation, groups: 3), u);
                    u = torch.where(updateBlack, nn.functional.conv2d(nn.functional.pad(u, [1, 1, 1, 1], PaddingModes.Replicate), relaxation, groups: 3), u);
                }
                continue;
            }
            for (int sweep = 0; sweep < spec.SweepsAt(l); sweep++)
            {
                Tensor padded = nn.functional.pad(u, [1, 1, 1, 1], PaddingModes.Replicate);
                u = torch.where(fixedCells, own, nn.functional.conv2d(padded, neighbours, groups: 3));
            }
        }
        // Exactly the input where known (level 0's "own" is image * 1 / 1, but say it plainly).
        return torch.where(hole.gt(halfWay), u, image).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [1,1,H,W], true where x + y is even: built from a managed array rather than with arange, add and remainder,
    /// whose temporary Scalars TorchSharp may free mid-call (see <see cref="TensorMath"/>).
    /// </summary>
    private static Tensor Checkerboard(long h, long w)
    {
        var red = new bool[h * w];
        for (long y = 0; y < h; y++)
            for (long x = y & 1; x < w; x += 2) red[y * w + x] = true;
        return torch.tensor(red, [1, 1, h, w]);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (Scalar s in new[] { one, zero, halfWay, tiny, fullyKnown }) s.Dispose();
            neighbours.Dispose();
            relaxation.Dispose();
        }
        base.Dispose(disposing);
    }
}
