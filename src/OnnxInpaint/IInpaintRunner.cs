using Inpaint.Contract;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// What <see cref="PhotoRepairer"/> needs of a model: its contract, a preferred batch size and a call that inpaints a
/// batch of same-size inputs. <see cref="InpaintModel"/> is one; a host can put its own in between (for example a
/// batcher that runs the windows of several concurrent requests in one model call).
/// </summary>
public interface IInpaintRunner
{
    /// <summary>The model's contract.</summary>
    ModelContract Contract { get; }

    /// <summary>Windows or tiles per call the runner prefers.</summary>
    int PreferredBatchSize { get; }

    /// <summary>
    /// Inpaints <paramref name="batch"/> inputs of <paramref name="height"/> x <paramref name="width"/>: image [N,3,H,W] and mask
    /// [N,1,H,W] in 0..255; writes [N,3,H,W] to <paramref name="output"/>. Must be safe to call from several threads.
    /// </summary>
    void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width, CancellationToken cancellation = default);

    /// <summary>
    /// As <see cref="Run"/>, with the holes of every input already pre-filled by the caller: <paramref name="prefilled"/>
    /// [N,3,H,W] 0..255, the model's own pre-fill computed outside the graph (models whose
    /// <see cref="ModelContract.HasPrefilledPath"/> is true run only their network then). A runner that cannot pass it on
    /// ignores it: the graph computes the same pre-fill itself, so the result is the same.
    /// </summary>
    void RunPrefilled(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width,
        CancellationToken cancellation = default) =>
        Run(image, mask, output, batch, height, width, cancellation);
}
