using Inpaint.Contract;
using Inpaint.Imaging;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The model's own pre-fill of each tile, made in managed code beside the cutting (in parallel) for models that take it
/// from the caller (<see cref="ModelContract.HasPrefilledPath"/>): the graph then runs only its network, instead of
/// the pre-fill's hundreds of small nodes per tile. Same maths, so the same output to float rounding.
/// </summary>
internal sealed class TilePrefill
{
    private readonly HarmonicFill fill;

    private TilePrefill(HarmonicFill fill) => this.fill = fill;

    /// <summary>The pre-fill for <paramref name="contract"/>'s model, or null when the model computes its own.</summary>
    public static TilePrefill? For(ModelContract contract) =>
        contract.HasPrefilledPath && contract.Spec?.Prefill is { } spec ? new TilePrefill(new HarmonicFill(spec)) : null;

    /// <summary>Fills the holes of one tile's RGB [3,H,W] 0..255 where its mask [1,H,W] marks them, into <paramref name="prefilled"/>.</summary>
    public void Fill(ReadOnlySpan<float> rgb, ReadOnlySpan<float> mask, Span<float> prefilled, int height, int width)
    {
        int plane = height * width;
        var holes = new bool[plane];
        for (int i = 0; i < plane; i++) holes[i] = mask[i] >= ContractNames.MaskThreshold;
        fill.Fill(rgb, holes, 3, height, width, prefilled, PixelNormalisation.HalfRange);
    }
}
