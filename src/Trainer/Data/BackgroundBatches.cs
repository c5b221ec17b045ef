using System.Collections.Concurrent;
using System.Diagnostics;

namespace Inpaint.Trainer.Data;

/// <summary>What the training loop's speed report reads of a batch producer.</summary>
public interface IBatchSource
{
    /// <summary>Seconds the consumer has spent waiting for data.</summary>
    double WaitSeconds { get; }
}

/// <summary>
/// Makes batches on background threads ahead of the training loop, in step order, with a bounded queue per
/// worker so memory stays flat. Worker w makes steps first + w, first + w + W, ...; the consumer takes them
/// round-robin, so the order is the same whatever the thread timing. A batch is a pure function of its step.
/// </summary>
/// <typeparam name="TBatch">What one step consumes.</typeparam>
public class BackgroundBatches<TBatch> : IBatchSource, IDisposable where TBatch : class
{
    private readonly Func<long, TBatch> make;
    private readonly BlockingCollection<(TBatch? Batch, Exception? Error)>[] queues;
    private readonly Thread[] threads;
    private readonly CancellationTokenSource stop = new();
    private readonly long first;
    private long next;

    /// <summary>Starts <paramref name="workers"/> threads producing <paramref name="make"/>(step) from step <paramref name="firstStep"/>.</summary>
    public BackgroundBatches(Func<long, TBatch> make, long firstStep, int workers, int prefetch)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "at least one data worker is needed");
        this.make = make;
        first = firstStep;
        next = firstStep;
        queues = new BlockingCollection<(TBatch?, Exception?)>[workers];
        threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            queues[w] = new BlockingCollection<(TBatch?, Exception?)>(Math.Max(1, prefetch));
            int worker = w;
            threads[w] = new Thread(() => Produce(worker, firstStep + worker, workers)) { IsBackground = true, Name = $"data-{w}" };
            threads[w].Start();
        }
    }

    /// <summary>Seconds the consumer has spent waiting for data.</summary>
    public double WaitSeconds { get; private set; }

    /// <summary>The next batch in step order; blocks until it is ready.</summary>
    /// <exception cref="InvalidDataException">A worker failed (e.g. every photo is unreadable).</exception>
    public TBatch Next(CancellationToken cancellation = default)
    {
        var queue = queues[(int)((next - first) % queues.Length)];
        long start = Stopwatch.GetTimestamp();
        var (batch, error) = queue.Take(cancellation);
        WaitSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (error is not null) throw new InvalidDataException(error.Message, error);
        next++;
        return batch!;
    }

    private void Produce(int worker, long step, int stride)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                TBatch batch;
                try
                {
                    batch = make(step);
                }
                catch (Exception e)
                {
                    queues[worker].Add((null, e), stop.Token);
                    return;
                }
                queues[worker].Add((batch, null), stop.Token);
                step += stride;
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting for room in the queue.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the workers.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        stop.Cancel();
        foreach (Thread t in threads) t.Join();
        foreach (var q in queues) q.Dispose();
        stop.Dispose();
    }
}
