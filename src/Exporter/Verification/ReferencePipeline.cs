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
        int s = spec.ImageSize, p = spec.Hole.Size, o = spec.Hole.Overlap, corner = (s - p) / 2;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.eval();
        Tensor img = tensor(image, [batch, 3, s, s]);
        Tensor hole = tensor(mask, [batch, 1, s, s]).ge(tensor(127.5f));
        Tensor x = img / tensor(127.5f) - tensor(1f);
        Tensor blank = zeros(1, 1, s, s);
        blank[.., .., (corner + o)..(corner + p - o), (corner + o)..(corner + p - o)] = tensor(1f);
        Tensor fill = tensor(spec.Hole.Fill, [1, 3, 1, 1]);
        Tensor input = x * (tensor(1f) - blank) + fill * blank;
        Tensor patch = generator.forward(input);
        Tensor generated = (patch.Plus(tensor(1f)) * tensor(127.5f)).clamp(tensor(0f), tensor(255f));
        Tensor full = nn.functional.pad(generated, [corner, s - corner - p, corner, s - corner - p]);
        Tensor region = zeros(1, 1, s, s, dtype: ScalarType.Bool);
        region[.., .., corner..(corner + p), corner..(corner + p)] = tensor(true);
        Tensor output = where(hole.logical_and(region), full, img);
        return output.data<float>().ToArray();
    }
}
