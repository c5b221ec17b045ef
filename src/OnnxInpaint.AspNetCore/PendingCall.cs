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
    private float[]? image, mask, output;

    public PendingCall(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, int batch, int height, int width)
    {
        Batch = batch;
        Height = height;
        Width = width;
        int plane = height * width;
        this.image = ArrayPool<float>.Shared.Rent(batch * 3 * plane);
        this.mask = ArrayPool<float>.Shared.Rent(batch * plane);
        output = ArrayPool<float>.Shared.Rent(batch * 3 * plane);
        image[..(batch * 3 * plane)].CopyTo(this.image);
        mask[..(batch * plane)].CopyTo(this.mask);
        Enqueued = Stopwatch.GetTimestamp();
    }

    public int Batch { get; }
    public int Height { get; }
    public int Width { get; }
    public long Enqueued { get; }
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Exception? Error { get; private set; }
    public float[] Image => image!;
    public float[] Mask => mask!;
    public float[] Output => output!;

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
        if (Interlocked.Exchange(ref mask, null) is { } m) ArrayPool<float>.Shared.Return(m);
    }

    public void ReturnOutput()
    {
        if (Interlocked.Exchange(ref output, null) is { } o) ArrayPool<float>.Shared.Return(o);
    }
}
