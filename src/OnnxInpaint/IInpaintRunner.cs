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
}
