using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Inpaint.Contract;

namespace Inpaint.Models;

/// <summary>
/// The damage detector built from a <see cref="ModelSpec"/> of the detector family: the photo ([-1, 1], [N,3,H,W]) goes
/// into a U-Net (the spec's layers, with skips and dilations) and one logit a pixel comes out, [N,1,H,W]; its sigmoid is
/// the probability that the pixel is damage. Fully convolutional: any height and width (padded to the granularity by
/// replicating edges and cropped back, as <see cref="SpecUNet"/> does). Parameter names are <c>blocks.{i}.conv.weight</c>
/// and so on, as in the generators.
/// </summary>
public sealed class DamageNet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<SpecBlock> blocks;
    private readonly int granularity;

    /// <summary>Builds the modules the spec describes (weights uninitialised: see <see cref="DetectorInit"/>).</summary>
    /// <exception cref="ArgumentException">Not a detector spec.</exception>
    public DamageNet(ModelSpec spec) : base("DamageNet")
    {
        spec.Validate();
        if (spec.Family != ModelFamily.Detector) throw new ArgumentException($"'{spec.Architecture}' is not a detector spec", nameof(spec));
        Spec = spec;
        blocks = new ModuleList<SpecBlock>(spec.Layers.Select(l => new SpecBlock(l)).ToArray());
        granularity = spec.Granularity;
        RegisterComponents();
    }

    /// <summary>The spec this network was built from.</summary>
    public ModelSpec Spec { get; }

    /// <summary>Damage logits, [N,1,H,W], for photos [N,3,H,W] in [-1, 1].</summary>
    public override Tensor forward(Tensor image) => SpecUNet.Run(blocks, image, granularity);

    /// <summary>Damage probabilities, [N,1,H,W] in 0..1 (what the exported graph answers).</summary>
    public Tensor Probabilities(Tensor image)
    {
        using var scope = NewDisposeScope();
        return torch.sigmoid(forward(image)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Initialises a <see cref="DamageNet"/>: He (Kaiming) normal weights for the LeakyReLU layers, zero biases, and a last
/// layer whose bias makes every pixel start at the prior of damage (2 %): damage is rare, and a detector that starts at
/// one half spends its first steps only learning that (Lin et al. 2017, "Focal loss", section 4.1).
/// </summary>
public static class DetectorInit
{
    /// <summary>The probability of damage an untrained detector gives every pixel.</summary>
    public const double Prior = 0.02;

    /// <summary>Initialises every convolution in place.</summary>
    public static void Apply(DamageNet net)
    {
        using var noGrad = torch.no_grad();
        var convs = net.named_modules().Select(m => m.module).OfType<Convolution>().ToList();
        for (int i = 0; i < convs.Count; i++)
        {
            Convolution conv = convs[i];
            bool last = i == convs.Count - 1;
            nn.init.kaiming_normal_(conv.weight!, a: 0.2, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.LeakyReLU);
            if (last) conv.weight!.mul_(0.1);
            if (conv.bias is { } bias)
            {
                if (last) bias.fill_(Math.Log(Prior / (1 - Prior)));
                else nn.init.zeros_(bias);
            }
        }
    }
}
