using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// The context-encoder generator built from a <see cref="ModelSpec"/>: a 3xSxS image with its hole filled
/// goes in, the hole's 3xPxP patch in [-1, 1] comes out. Parameter names are <c>blocks.{i}.conv.weight</c>,
/// <c>blocks.{i}.norm.running_mean</c> and so on, with i the index in <see cref="ModelSpec.Layers"/>.
/// </summary>
public sealed class CenterGenerator : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<SpecBlock> blocks;

    /// <summary>Builds the modules the spec describes (weights uninitialised: see <see cref="WeightInit"/>).</summary>
    public CenterGenerator(ModelSpec spec) : base("CenterGenerator")
    {
        spec.Validate();
        Spec = spec;
        blocks = new ModuleList<SpecBlock>(spec.Layers.Select(l => new SpecBlock(l)).ToArray());
        RegisterComponents();
    }

    /// <summary>The spec this generator was built from.</summary>
    public ModelSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        foreach (SpecBlock block in blocks)
        {
            Tensor next = block.forward(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
        }
        return x;
    }
}
