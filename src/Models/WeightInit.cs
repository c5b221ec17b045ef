using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>The article's initialisation: convolution weights N(0, 0.02); BatchNorm weight N(1, 0.02), bias 0.</summary>
public static class WeightInit
{
    /// <summary>Initialises every convolution and BatchNorm below <paramref name="module"/> in place.</summary>
    public static void Apply(nn.Module module)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Convolution conv:
                    nn.init.normal_(conv.weight!, 0.0, 0.02);
                    break;
                case BatchNorm2d norm:
                    nn.init.normal_(norm.weight!, 1.0, 0.02);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }
}
