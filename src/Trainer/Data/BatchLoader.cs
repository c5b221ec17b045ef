using System.Collections.Concurrent;
using System.Diagnostics;
using Inpaint.Trainer.Masks;

namespace Inpaint.Trainer.Data;

/// <summary>
/// Makes batches on background threads ahead of the training loop, in step order, with a bounded queue per
/// worker so memory stays flat. Worker w makes steps first + w, first + w + W, ...; the consumer takes them
/// round-robin, so the order is the same whatever the thread timing.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly TrainingSampler sampler;
    private readonly int batchSize, holeSize, overlap;
    private readonly float[] fill;
    private readonly BlockingCollection<(Batch? Batch, Exception? Error)>[] queues;
    private readonly Thread[] threads;
    private readonly CancellationTokenSource stop = new();
    private readonly long first;
    private long next;

    /// <summary>Starts <paramref name="workers"/> threads producing batches from step <paramref name="firstStep"/>.</summary>
    public BatchLoader(TrainingSampler sampler, int batchSize, int overlap, float[] fill, long firstStep, int workers, int prefetch)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "at least one data worker is needed");
        this.sampler = sampler;
        this.batchSize = batchSize;
        holeSize = sampler.Options.HoleSize;
        this.overlap = overlap;
        this.fill = fill;
        first = firstStep;
        next = firstStep;
        queues = new BlockingCollection<(Batch?, Exception?)>[workers];
        threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            queues[w] = new BlockingCollection<(Batch?, Exception?)>(Math.Max(1, prefetch));
            int worker = w;
            threads[w] = new Thread(() => Produce(worker, firstStep + worker, workers)) { IsBackground = true, Name = $"data-{w}" };
            threads[w].Start();
        }
    }

    /// <summary>Seconds the consumer has spent waiting for data.</summary>
    public double WaitSeconds { get; private set; }

    /// <summary>The next batch in step order; blocks until it is ready.</summary>
    /// <exception cref="InvalidDataException">A worker failed (e.g. every photo is unreadable).</exception>
    public Batch Next(CancellationToken cancellation = default)
    {
        var queue = queues[(int)((next - first) % queues.Length)];
        long start = Stopwatch.GetTimestamp();
        var (batch, error) = queue.Take(cancellation);
        WaitSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (error is not null) throw new InvalidDataException(error.Message, error);
        next++;
        return batch!;
    }

    /// <summary>Makes one batch synchronously (used by tests and by validation-free smoke runs).</summary>
    public static Batch Make(TrainingSampler sampler, long step, int batchSize, int overlap, float[] fill)
    {
        int size = sampler.Options.ImageSize, hole = sampler.Options.HoleSize;
        var batch = new Batch(step, batchSize, size, hole);
        int imageFloats = 3 * size * size, patchFloats = 3 * hole * hole;
        for (int i = 0; i < batchSize; i++)
        {
            Span<float> real = batch.Real.AsSpan(i * imageFloats, imageFloats);
            var (x, y) = sampler.Fill(step * batchSize + i, real);
            batch.HoleX[i] = x;
            batch.HoleY[i] = y;
            HoleMask.CopyPatch(real, size, x, y, hole, batch.Truth.AsSpan(i * patchFloats, patchFloats));
            Span<float> input = batch.Input.AsSpan(i * imageFloats, imageFloats);
            real.CopyTo(input);
            HoleMask.Blank(input, size, x, y, hole, overlap, fill);
        }
        return batch;
    }

    private void Produce(int worker, long step, int stride)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Batch batch;
                try
                {
                    batch = Make(sampler, step, batchSize, overlap, fill);
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
        stop.Cancel();
        foreach (Thread t in threads) t.Join();
        foreach (var q in queues) q.Dispose();
        stop.Dispose();
    }
}
