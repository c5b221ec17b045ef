using TorchSharp;
using Inpaint.Contract;

namespace Inpaint.Models;

/// <summary>Builds the generator a spec describes, whichever its family.</summary>
public static class Generators
{
    /// <summary>A <see cref="CenterGenerator"/>, a <see cref="FreeformGenerator"/> or a <see cref="DamageNet"/>, weights uninitialised.</summary>
    public static torch.nn.Module Create(ModelSpec spec) => spec.Family switch
    {
        ModelFamily.Freeform => new FreeformGenerator(spec),
        ModelFamily.Detector => new DamageNet(spec),
        _ => new CenterGenerator(spec),
    };

    /// <summary>Builds and initialises (the article's init for the context encoder; <see cref="FreeformInit"/> for freeform).</summary>
    public static torch.nn.Module CreateInitialised(ModelSpec spec)
    {
        var generator = Create(spec);
        if (generator is FreeformGenerator freeform) FreeformInit.Apply(freeform);
        else if (generator is DamageNet detector) DetectorInit.Apply(detector);
        else WeightInit.Apply(generator);
        return generator;
    }
}
