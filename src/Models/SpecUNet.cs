using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// Runs the layers of a U-Net spec (the freeform and detector families): the input padded to the network's
/// granularity by replicating its edges, in channels-last layout (<see cref="FreeformGenerator.ChannelsLast"/>), each
/// layer after concatenating the skip it names, and the output cropped back to the input's height and width.
/// </summary>
public static class SpecUNet
{
    /// <summary>The layers' output for <paramref name="input"/> [N,C,H,W], [N,C',H,W].</summary>
    public static Tensor Run(ModuleList<SpecBlock> blocks, Tensor input, int granularity)
    {
        using var scope = NewDisposeScope();
        long h = input.shape[2], w = input.shape[3];
        long padH = (granularity - h % granularity) % granularity, padW = (granularity - w % granularity) % granularity;
        Tensor x = input;
        if (padH > 0 || padW > 0)
            x = nn.functional.pad(x, [0, padW, 0, padH], PaddingModes.Replicate);
        x = FreeformGenerator.ChannelsLast(x);
        var outputs = new Tensor[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
        {
            SpecBlock block = blocks[i];
            if (block.Spec.Concat is int j) x = torch.cat([x, outputs[j]], 1);
            x = block.forward(x);
            outputs[i] = x;
        }
        if (padH > 0 || padW > 0) x = x[.., .., ..(int)h, ..(int)w];
        return x.MoveToOuterDisposeScope();
    }
}
