using TorchSharp;
using Inpaint.Contract;

namespace Inpaint.Models;

/// <summary>Builds the generator a spec describes, whichever its family.</summary>
public static class Generators
{
    /// <summary>An <see cref="CenterGenerator"/> or a <see cref="FreeformGenerator"/>, weights uninitialised.</summary>
    public static torch.nn.Module Create(ModelSpec spec) =>
        spec.Family == ModelFamily.Freeform ? new FreeformGenerator(spec) : new CenterGenerator(spec);

    /// <summary>Builds and initialises (the article's init for the context encoder; <see cref="FreeformInit"/> for freeform).</summary>
    public static torch.nn.Module CreateInitialised(ModelSpec spec)
    {
        var generator = Create(spec);
        if (generator is FreeformGenerator freeform) FreeformInit.Apply(freeform);
        else WeightInit.Apply(generator);
        return generator;
    }
}
