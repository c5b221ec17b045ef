using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// The article's least-squares patch discriminator: 3x3 convolutions 3-64-128-256 (stride 2) and 256-512
/// (stride 1), each followed by LeakyReLU(0.2), with InstanceNorm2d (no affine, as in the article's code)
/// after the 2nd, 3rd and 4th; then a 3x3 convolution to one score per location (8x8 for a 64x64 patch).
/// 1,555,585 parameters with 3 input channels; the instance norms add none. With 4 it also sees the hole (the
/// freeform family's: image and hole map stacked), so it can judge a fill where it is, as free-form inpainters' patch
/// discriminators do.
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2, conv3, conv4, score;
    private readonly InstanceNorm2d norm2, norm3, norm4;
    private readonly Scalar slope = 0.2.ToScalar(); // held: see SpecBlock on TorchSharp's temporary Scalars

    /// <summary>Creates the discriminator (weights uninitialised: see <see cref="WeightInit"/>).</summary>
    /// <param name="inputChannels">3 for an RGB patch; 4 for an RGB tile with its hole map as the fourth channel.</param>
    public PatchDiscriminator(int inputChannels = 3) : base("PatchDiscriminator")
    {
        if (inputChannels is not (3 or 4)) throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "a patch discriminator takes 3 (RGB) or 4 (RGB and hole) channels");
        conv1 = nn.Conv2d(inputChannels, 64, 3, stride: 2, padding: 1);
        conv2 = nn.Conv2d(64, 128, 3, stride: 2, padding: 1);
        norm2 = nn.InstanceNorm2d(128);
        conv3 = nn.Conv2d(128, 256, 3, stride: 2, padding: 1);
        norm3 = nn.InstanceNorm2d(256);
        conv4 = nn.Conv2d(256, 512, 3, stride: 1, padding: 1);
        norm4 = nn.InstanceNorm2d(512);
        score = nn.Conv2d(512, 1, 3, stride: 1, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor patch)
    {
        using var scope = NewDisposeScope();
        Tensor x = conv1.forward(patch).leaky_relu(slope);
        x = norm2.forward(conv2.forward(x)).leaky_relu(slope);
        x = norm3.forward(conv3.forward(x)).leaky_relu(slope);
        x = norm4.forward(conv4.forward(x)).leaky_relu(slope);
        return score.forward(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) slope.Dispose();
        base.Dispose(disposing);
    }
}
