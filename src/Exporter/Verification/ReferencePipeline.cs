using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Verification;

/// <summary>
/// The "inpaint/1" contract computed with TorchSharp on the checkpoint's own generator (eval mode, unfolded
/// BatchNorm): the yardstick the exported graph is compared against.
/// </summary>
public static class ReferencePipeline
{
    /// <summary>Runs the contract on [N,3,S,S] images and [N,1,S,S] masks (both 0..255); returns [N,3,S,S].</summary>
    public static float[] Run(CenterGenerator generator, float[] image, float[] mask, int batch)
    {
        ModelSpec spec = generator.Spec;
        int s = spec.ImageSize, p = spec.Hole.Size, o = spec.Hole.Overlap;
        CenterSquare patchSquare = CenterSquare.In(s, p), blankSquare = patchSquare.Shrink(o);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.eval();
        Tensor img = tensor(image, [batch, 3, s, s]);
        Tensor hole = PixelTensors.Holes(tensor(mask, [batch, 1, s, s]));
        Tensor x = PixelTensors.ToNetwork(img);
        Tensor blank = zeros(1, 1, s, s);
        blank[.., .., blankSquare.Top..blankSquare.Bottom, blankSquare.Left..blankSquare.Right] = tensor(1f);
        Tensor fill = tensor(spec.Hole.Fill, [1, 3, 1, 1]);
        Tensor input = x * (tensor(1f) - blank) + fill * blank;
        Tensor patch = generator.forward(input);
        Tensor generated = PixelTensors.ToPixels(patch);
        Tensor full = nn.functional.pad(generated, [patchSquare.Left, s - patchSquare.Right, patchSquare.Top, s - patchSquare.Bottom]);
        Tensor region = zeros(1, 1, s, s, dtype: ScalarType.Bool);
        region[.., .., patchSquare.Top..patchSquare.Bottom, patchSquare.Left..patchSquare.Right] = tensor(true);
        Tensor output = where(hole.logical_and(region), full, img);
        return output.data<float>().ToArray();
    }
}
