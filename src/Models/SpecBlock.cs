using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// One <see cref="LayerSpec"/> as a TorchSharp module: a convolution (plain, dilated or transposed), an optional
/// BatchNorm and an activation; or a nearest-neighbour upsampling, which has no weights.
/// </summary>
public sealed class SpecBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>? conv;
    private readonly BatchNorm2d? norm;
    private readonly LayerSpec spec;
    private readonly double[] upsampleFactors;

    // Held for the module's lifetime: TorchSharp reads a Scalar's native handle and then lets the managed object go,
    // so a temporary Scalar (e.g. from an implicit double conversion) can be finalised by the GC while the native
    // call still uses it. That crashed a training run here ("toFloat ... Expected false to be true").
    private readonly Scalar slope;

    /// <summary>Creates the block's modules from its spec.</summary>
    public SpecBlock(LayerSpec spec) : base("SpecBlock")
    {
        this.spec = spec;
        upsampleFactors = [spec.Stride, spec.Stride];
        conv = spec.Kind switch
        {
            LayerKinds.ConvTranspose => nn.ConvTranspose2d(spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, bias: spec.Bias),
            LayerKinds.Upsample => null,
            _ => nn.Conv2d(spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, dilation: spec.DilationOrOne, bias: spec.Bias),
        };
        if (spec.Norm == NormKinds.Batch) norm = nn.BatchNorm2d(spec.OutChannels, spec.Eps, spec.Momentum);
        slope = spec.Slope.ToScalar();
        RegisterComponents();
    }

    /// <summary>The block's spec.</summary>
    public LayerSpec Spec => spec;

    /// <summary>The convolution (null for an upsampling block).</summary>
    public nn.Module<Tensor, Tensor>? Convolution => conv;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (conv is null)
            return nn.functional.interpolate(input, scale_factor: upsampleFactors, mode: InterpolationMode.Nearest);
        Tensor x = conv.forward(input);
        if (norm is not null) x = norm.forward(x);
        return spec.Activation switch
        {
            ActivationKinds.LeakyRelu => x.leaky_relu_(slope),
            ActivationKinds.Relu => nn.functional.relu(x),
            ActivationKinds.Tanh => torch.tanh(x),
            _ => x,
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) slope.Dispose();
        base.Dispose(disposing);
    }
}
