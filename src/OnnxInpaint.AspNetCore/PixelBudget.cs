namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Bounds the pixels the service repairs at once, which is what its memory follows: a repair takes its photo's pixels
/// (times its variants) before it starts and gives them back when it ends, and waits while the others hold too many.
/// A repair larger than the whole budget still runs, alone, so that no photo within the pixel limit is refused.
/// </summary>
internal sealed class PixelBudget(long limit)
{
    private readonly object gate = new();
    private long inFlight;

    /// <summary>The most pixels in flight at once.</summary>
    public long Limit { get; } = limit;

    /// <summary>Pixels of the repairs running now.</summary>
    public long InFlight
    {
        get
        {
            lock (gate) return inFlight;
        }
    }

    /// <summary>Waits until <paramref name="pixels"/> fit (or nothing else runs), then takes them.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired while waiting.</exception>
    public void Take(long pixels, CancellationToken cancellation)
    {
        lock (gate)
        {
            while (inFlight > 0 && inFlight + pixels > Limit)
            {
                cancellation.ThrowIfCancellationRequested();
                Monitor.Wait(gate, TimeSpan.FromMilliseconds(50)); // woken by Give; the timeout re-checks the cancellation
            }
            cancellation.ThrowIfCancellationRequested();
            inFlight += pixels;
        }
    }

    /// <summary>Gives back what <see cref="Take"/> took.</summary>
    public void Give(long pixels)
    {
        lock (gate)
        {
            inFlight -= pixels;
            Monitor.PulseAll(gate);
        }
    }
}
