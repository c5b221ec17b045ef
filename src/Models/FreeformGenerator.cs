using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Inpaint.Contract;

namespace Inpaint.Models;

/// <summary>
/// The freeform generator built from a <see cref="ModelSpec"/> of the freeform family: the photo ([-1, 1]) and its
/// hole mask (1 = hole) go in; the <see cref="HarmonicPrefill"/> fills the holes; a U-Net (the spec's layers, with
/// skips and dilations) sees the pre-filled photo and the mask and predicts a residual; the result is
/// <c>clamp(prefill + residual)</c> inside the holes and the input outside. Fully convolutional: any height and width
/// (the input is padded to the network's granularity by replicating edges and cropped back). Parameter names are
/// <c>blocks.{i}.conv.weight</c> and so on, as in <see cref="CenterGenerator"/>.
/// </summary>
public sealed class FreeformGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly HarmonicPrefill prefill;
    private readonly ModuleList<SpecBlock> blocks;
    private readonly int granularity;

    // Held for the module's lifetime (see SpecBlock on TorchSharp's temporary Scalars).
    private readonly Scalar low = (-1.0).ToScalar(), high = 1.0.ToScalar(), halfWay = 0.5.ToScalar();

    /// <summary>Builds the modules the spec describes (weights uninitialised: see <see cref="FreeformInit"/>).</summary>
    public FreeformGenerator(ModelSpec spec) : base("FreeformGenerator")
    {
        spec.Validate();
        if (spec.Family != ModelFamily.Freeform) throw new ArgumentException($"'{spec.Architecture}' is not a freeform spec", nameof(spec));
        Spec = spec;
        prefill = new HarmonicPrefill(spec.Prefill!);
        blocks = new ModuleList<SpecBlock>(spec.Layers.Select(l => new SpecBlock(l)).ToArray());
        granularity = spec.Granularity;
        RegisterComponents();
    }

    /// <summary>The spec this generator was built from.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The pre-fill alone.</summary>
    public HarmonicPrefill Prefill => prefill;

    /// <summary>The repaired image: the input outside the holes, pre-fill plus residual inside.</summary>
    public override Tensor forward(Tensor image, Tensor hole)
    {
        using var scope = NewDisposeScope();
        Tensor filled = prefill.forward(image, hole);
        Tensor result = torch.where(hole.gt(halfWay), filled.Plus(Residual(filled, hole)).clamp(low, high), image);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (Scalar s in new[] { low, high, halfWay }) s.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The same values with channels-last (NHWC) strides. libtorch keeps that layout through every layer after it
    /// (convolutions, activations, upsampling, the skips' concatenations, and their gradients), and oneDNN then runs
    /// its convolutions without reordering each activation to its blocked layout and back, which took more time than
    /// the convolutions themselves (docs/trainer.md, "Speed"). TorchSharp 0.107 has no memory-format argument, so the
    /// strides come from a permuted copy. Only the input is converted: weights, gradients and optimiser state stay
    /// contiguous, which TorchSharp's serialisation needs.
    /// </summary>
    public static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>
    /// The U-Net's residual for a pre-filled image, [N,3,H,W]; zero when the spec has no layers. The input is padded
    /// to the granularity (edges replicated; the padding counts as known) and the residual cropped back.
    /// </summary>
    public Tensor Residual(Tensor filled, Tensor hole)
    {
        using var scope = NewDisposeScope();
        if (blocks.Count == 0) return zeros_like(filled).MoveToOuterDisposeScope();
        Tensor x = SpecUNet.Run(blocks, torch.cat([filled, hole], 1), granularity);
        return x.MoveToOuterDisposeScope();
    }
}
