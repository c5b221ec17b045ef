using System.Buffers;
using System.Diagnostics;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// One caller's windows. Ownership of the pooled buffers follows the state: the batcher returns the inputs once
/// copied and the output of an abandoned call; the caller returns everything of a call it cancelled before it
/// started, and the output once it has copied it.
/// </summary>
internal sealed class PendingCall
{
    private const int Queued = 0, Started = 1, Finished = 2, Cancelled = 3, Abandoned = 4;
    private int state, completed;
    private float[]? image, prefilled, mask, output;

    /// <param name="image">The windows' images.</param>
    /// <param name="prefilled">Their pre-filled images, or empty when the caller has none.</param>
    /// <param name="mask">Their masks.</param>
    /// <param name="batch">Windows.</param>
    /// <param name="height">Window height.</param>
    /// <param name="width">Window width.</param>
    public PendingCall(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, int batch, int height, int width)
    {
        Batch = batch;
        Height = height;
        Width = width;
        int plane = height * width;
        this.image = Copy(image[..(batch * 3 * plane)]);
        if (!prefilled.IsEmpty) this.prefilled = Copy(prefilled[..(batch * 3 * plane)]);
        HasPrefilled = !prefilled.IsEmpty;
        this.mask = Copy(mask[..(batch * plane)]);
        output = ArrayPool<float>.Shared.Rent(batch * 3 * plane);
        Enqueued = Stopwatch.GetTimestamp();
    }

    private static float[] Copy(ReadOnlySpan<float> data)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return buffer;
    }

    public int Batch { get; }
    public int Height { get; }
    public int Width { get; }
    public long Enqueued { get; }
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Exception? Error { get; private set; }
    public float[] Image => image!;

    /// <summary>The pre-filled images; read only while <see cref="HasPrefilled"/> and the inputs are not returned.</summary>
    public float[] Prefilled => prefilled!;

    /// <summary>Whether the caller gave pre-filled images; calls with and without them never share a model call.</summary>
    public bool HasPrefilled { get; }
    public float[] Mask => mask!;
    public float[] Output => output!;

    /// <summary>Whether this call's windows can go in one model call with <paramref name="other"/>'s.</summary>
    public bool SharesModelCallWith(PendingCall other) =>
        Height == other.Height && Width == other.Width && HasPrefilled == other.HasPrefilled;

    public bool TryStart() => Interlocked.CompareExchange(ref state, Started, Queued) == Queued;
    public bool TryCancel() => Interlocked.CompareExchange(ref state, Cancelled, Queued) == Queued;
    public bool TryAbandon() => Interlocked.CompareExchange(ref state, Abandoned, Started) == Started;

    public void Complete(Exception? error)
    {
        if (Interlocked.Exchange(ref completed, 1) != 0) return;
        Error = error;
        if (Interlocked.CompareExchange(ref state, Finished, Started) != Started) ReturnOutput(); // abandoned: nobody reads it
        Done.TrySetResult();
    }

    public void ReturnInputs()
    {
        if (Interlocked.Exchange(ref image, null) is { } i) ArrayPool<float>.Shared.Return(i);
        if (Interlocked.Exchange(ref prefilled, null) is { } p) ArrayPool<float>.Shared.Return(p);
        if (Interlocked.Exchange(ref mask, null) is { } m) ArrayPool<float>.Shared.Return(m);
    }

    public void ReturnOutput()
    {
        if (Interlocked.Exchange(ref output, null) is { } o) ArrayPool<float>.Shared.Return(o);
    }
}
