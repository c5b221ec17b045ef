using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// Initialises a <see cref="FreeformGenerator"/>: He (Kaiming) normal weights for the LeakyReLU layers, zero biases,
/// and a zero last layer, so an untrained model is exactly its pre-fill and training can only move away from it
/// where that helps.
/// </summary>
public static class FreeformInit
{
    /// <summary>Initialises every convolution in place.</summary>
    public static void Apply(FreeformGenerator generator)
    {
        using var noGrad = torch.no_grad();
        var convs = generator.named_modules().Select(m => m.module).OfType<Convolution>().ToList();
        for (int i = 0; i < convs.Count; i++)
        {
            Convolution conv = convs[i];
            if (i == convs.Count - 1) nn.init.zeros_(conv.weight!);
            else nn.init.kaiming_normal_(conv.weight!, a: 0.2, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.LeakyReLU);
            if (conv.bias is { } bias) nn.init.zeros_(bias);
        }
    }
}
