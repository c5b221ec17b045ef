using Inpaint.Contract;
using Inpaint.OnnxInpaint;

namespace Inpaint.Server.Tests;

/// <summary>A runner in front of the model that can hold every call until released, or fail them.</summary>
internal sealed class GateRunner(IInpaintRunner model) : IInpaintRunner
{
    private readonly ManualResetEventSlim open = new(true);
    private int entered;

    public ModelContract Contract => model.Contract;
    public int PreferredBatchSize => model.PreferredBatchSize;

    /// <summary>Calls that reached the gate.</summary>
    public int Entered => Volatile.Read(ref entered);

    /// <summary>When set, every call throws this.</summary>
    public Exception? Failure { get; set; }

    public void Hold() => open.Reset();

    public void Release() => open.Set();

    public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width, CancellationToken cancellation = default)
    {
        Interlocked.Increment(ref entered);
        open.Wait(cancellation);
        if (Failure is { } failure) throw failure;
        model.Run(image, mask, output, batch, height, width, cancellation);
    }

    /// <summary>Waits until <paramref name="count"/> calls reached the gate.</summary>
    public void WaitForEntered(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Entered < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {Entered} of {count} model calls arrived");
            Thread.Sleep(5);
        }
    }
}
