using System.Buffers;
using System.Diagnostics;
using Inpaint.Contract;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// A dynamic batcher in front of a model: the model calls that concurrent repairs make (through
/// <see cref="PhotoRepairer"/>, which accepts any <see cref="IInpaintRunner"/>) wait briefly in a queue, and those of
/// the same height x width run as one model call. A caller blocks in <see cref="Run"/> until its windows come back;
/// one thread per model instance feeds the model.
/// </summary>
/// <remarks>
/// A batch starts when it holds <c>maxBatchSize</c> windows, when every repair in progress (see
/// <see cref="BeginRepair"/>) is waiting in the queue (nobody else could join), or when the oldest call has waited
/// <c>maxDelay</c>; with several instances, a batch forms and runs while another is in the model. With <c>maxBatchSize</c> 1 there is no queue: each call goes straight to the model on the
/// caller's thread (batching off), and the statistics are still kept.
/// </remarks>
public sealed class BatchingRunner : IInpaintRunner, IDisposable
{
    private readonly IInpaintRunner model;
    private readonly int maxBatchSize;
    private readonly long maxDelayTicks;
    private readonly Action<BatchRun>? completed;
    private readonly object gate = new();
    private readonly List<PendingCall> pending = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread[] workers;
    private int activeRepairs;
    private BatchStatistics statistics;
    private bool disposed;

    /// <summary>Creates the batcher and, unless <paramref name="maxBatchSize"/> is 1, its thread.</summary>
    /// <param name="model">The model (not owned: dispose it after the batcher).</param>
    /// <param name="maxBatchSize">Most windows in one model call.</param>
    /// <param name="maxDelay">Longest the oldest call waits for others.</param>
    /// <param name="completed">Called after each model call (on the batcher's thread; keep it short).</param>
    /// <param name="instances">Model calls that may run at once (Triton's instance count): while one runs, the next batch can form and start.</param>
    public BatchingRunner(IInpaintRunner model, int maxBatchSize, TimeSpan maxDelay, Action<BatchRun>? completed = null, int instances = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instances, 1);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        maxDelayTicks = (long)(maxDelay.TotalSeconds * Stopwatch.Frequency);
        this.completed = completed;
        workers = maxBatchSize > 1
            ? Enumerable.Range(1, instances).Select(i => new Thread(Loop) { IsBackground = true, Name = $"inpaint batcher {i}" }).ToArray()
            : [];
        foreach (var worker in workers) worker.Start();
    }

    /// <inheritdoc />
    public ModelContract Contract => model.Contract;

    /// <inheritdoc />
    public int PreferredBatchSize => model.PreferredBatchSize;

    /// <summary>Whether calls are batched (false: each goes straight to the model).</summary>
    public bool Batching => workers.Length > 0;

    /// <summary>Calls waiting for a model call now.</summary>
    public int Waiting
    {
        get { lock (gate) return pending.Count; }
    }

    /// <summary>What the batcher has done so far.</summary>
    public BatchStatistics Statistics
    {
        get { lock (gate) return statistics; }
    }

    /// <summary>
    /// Marks one repair as in progress until the scope is disposed: while every such repair is already waiting, a
    /// batch need not wait for more. Without scopes, batches wait for the delay or a full batch.
    /// </summary>
    public IDisposable BeginRepair()
    {
        lock (gate) activeRepairs++;
        return new RepairScope(this);
    }

    /// <summary>Inpaints the caller's windows, possibly in one model call with other callers' windows. Thread-safe.</summary>
    /// <exception cref="OperationCanceledException">The caller gave up; windows already in a model call are dropped.</exception>
    /// <exception cref="InpaintModelException">The model call failed.</exception>
    public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width,
        CancellationToken cancellation = default) =>
        Submit(image, default, mask, output, batch, height, width, cancellation);

    /// <summary>
    /// As <see cref="Run"/>, with the callers' pre-filled images passed on to the model; calls with pre-filled images
    /// share model calls only with others that have them.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller gave up; windows already in a model call are dropped.</exception>
    /// <exception cref="InpaintModelException">The model call failed.</exception>
    public void RunPrefilled(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
        int height, int width, CancellationToken cancellation = default) =>
        Submit(image, prefilled, mask, output, batch, height, width, cancellation);

    /// <summary>The one path of both calls; <paramref name="prefilled"/> is empty for <see cref="Run"/>.</summary>
    private void Submit(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
        int height, int width, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        int plane = height * width;
        if (image.Length < batch * 3 * plane || mask.Length < batch * plane || output.Length < batch * 3 * plane
            || (!prefilled.IsEmpty && prefilled.Length < batch * 3 * plane))
            throw new ArgumentException($"buffers are too small for a batch of {batch} at {width}x{height}");
        cancellation.ThrowIfCancellationRequested();
        if (workers.Length == 0)
        {
            RunDirect(image, prefilled, mask, output, batch, height, width, cancellation);
            return;
        }

        var call = new PendingCall(image, prefilled, mask, batch, height, width);
        lock (gate)
        {
            if (disposed)
            {
                call.ReturnInputs();
                call.ReturnOutput();
                throw new ObjectDisposedException(nameof(BatchingRunner), "the inpainting service stopped");
            }
            pending.Add(call);
            Monitor.PulseAll(gate);
        }
        try
        {
            call.Done.Task.Wait(cancellation);
        }
        catch (OperationCanceledException)
        {
            if (call.TryCancel())
            {
                // Never picked: take it out of the queue; its buffers are ours again.
                lock (gate) pending.Remove(call);
                call.ReturnInputs();
                call.ReturnOutput();
                throw;
            }
            if (call.TryAbandon()) throw; // in a model call shared with others: the batcher drops the result
            // Finished meanwhile: take the result.
        }
        try
        {
            if (call.Error is { } error)
                throw error is OperationCanceledException && disposed
                    ? new ObjectDisposedException(nameof(BatchingRunner), "the inpainting service stopped")
                    : new InpaintModelException($"the model call failed: {error.Message}", error);
            call.Output.AsSpan(0, batch * 3 * plane).CopyTo(output);
        }
        finally
        {
            call.ReturnOutput();
        }
    }

    private void RunDirect(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
        int height, int width, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        Exception? error = null;
        try
        {
            if (prefilled.IsEmpty) model.Run(image, mask, output, batch, height, width, cancellation);
            else model.RunPrefilled(image, prefilled, mask, output, batch, height, width, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e;
            throw new InpaintModelException($"the model call failed: {e.Message}", e);
        }
        finally
        {
            Record(new BatchRun(batch, 1, Stopwatch.GetElapsedTime(start), error));
        }
    }

    private void Loop()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                RunBatch(batch);
            }
            catch (Exception e)
            {
                // RunBatch hands model failures to its callers; this is a bug, but callers must not hang on it.
                foreach (var call in batch) call.Complete(e);
            }
        }
    }

    /// <summary>Waits for calls and picks the next batch: the oldest call and later ones of its size that fit.</summary>
    private List<PendingCall>? TakeBatch()
    {
        lock (gate)
        {
            while (true)
            {
                while (pending.Count == 0 && !stopping.IsCancellationRequested) Monitor.Wait(gate);
                if (stopping.IsCancellationRequested) return null;
                PendingCall first = pending[0];
                long deadline = first.Enqueued + maxDelayTicks;
                while (!stopping.IsCancellationRequested && pending.Count > 0 && ReferenceEquals(pending[0], first))
                {
                    if (WindowsLike(first) >= maxBatchSize) break;
                    if (activeRepairs > 0 && pending.Count >= activeRepairs) break;
                    long left = deadline - Stopwatch.GetTimestamp();
                    if (left <= 0) break;
                    Monitor.Wait(gate, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
                }
                if (stopping.IsCancellationRequested) return null;
                if (pending.Count == 0 || !ReferenceEquals(pending[0], first)) continue; // the oldest gave up: start over

                var batch = new List<PendingCall>();
                int windows = 0;
                for (int i = 0; i < pending.Count; i++)
                {
                    PendingCall call = pending[i];
                    if (!call.SharesModelCallWith(first)) continue;
                    if (windows > 0 && windows + call.Batch > maxBatchSize) break;
                    if (!call.TryStart()) continue; // cancelled a moment ago; its caller removes it
                    batch.Add(call);
                    windows += call.Batch;
                    pending.RemoveAt(i--);
                }
                if (batch.Count > 0) return batch;
            }
        }
    }

    private int WindowsLike(PendingCall first)
    {
        int windows = 0;
        foreach (var call in pending)
            if (call.SharesModelCallWith(first)) windows += call.Batch;
        return windows;
    }

    private void RunBatch(List<PendingCall> batch)
    {
        int height = batch[0].Height, width = batch[0].Width, plane = height * width;
        int windows = batch.Sum(c => c.Batch);
        bool hasPrefilled = batch[0].HasPrefilled;
        float[] image = ArrayPool<float>.Shared.Rent(windows * 3 * plane);
        float[] prefilled = hasPrefilled ? ArrayPool<float>.Shared.Rent(windows * 3 * plane) : [];
        float[] mask = ArrayPool<float>.Shared.Rent(windows * plane);
        float[] output = ArrayPool<float>.Shared.Rent(windows * 3 * plane);
        long start = Stopwatch.GetTimestamp();
        Exception? error = null;
        try
        {
            int offset = 0;
            foreach (var call in batch)
            {
                call.Image.AsSpan(0, call.Batch * 3 * plane).CopyTo(image.AsSpan(offset * 3 * plane));
                if (hasPrefilled) call.Prefilled.AsSpan(0, call.Batch * 3 * plane).CopyTo(prefilled.AsSpan(offset * 3 * plane));
                call.Mask.AsSpan(0, call.Batch * plane).CopyTo(mask.AsSpan(offset * plane));
                call.ReturnInputs();
                offset += call.Batch;
            }
            try
            {
                if (hasPrefilled) model.RunPrefilled(image, prefilled, mask, output, windows, height, width, stopping.Token);
                else model.Run(image, mask, output, windows, height, width, stopping.Token);
            }
            catch (Exception e)
            {
                error = e;
            }
            offset = 0;
            foreach (var call in batch)
            {
                if (error is null) output.AsSpan(offset * 3 * plane, call.Batch * 3 * plane).CopyTo(call.Output);
                offset += call.Batch;
                call.Complete(error);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(image);
            if (hasPrefilled) ArrayPool<float>.Shared.Return(prefilled);
            ArrayPool<float>.Shared.Return(mask);
            ArrayPool<float>.Shared.Return(output);
        }
        Record(new BatchRun(windows, batch.Count, Stopwatch.GetElapsedTime(start), error));
    }

    private void Record(BatchRun run)
    {
        lock (gate)
        {
            var s = statistics;
            statistics = new BatchStatistics(s.ModelCalls + 1, s.Windows + run.Windows, s.Requests + run.Requests,
                Math.Max(s.LargestBatch, run.Windows), Math.Max(s.MostRequests, run.Requests), s.Failures + (run.Error is null ? 0 : 1));
        }
        completed?.Invoke(run);
    }

    /// <summary>Stops the batcher: calls waiting or in a model call fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            stopping.Cancel();
            Monitor.PulseAll(gate);
        }
        foreach (var worker in workers) worker.Join();
        lock (gate)
        {
            foreach (var call in pending)
                if (call.TryStart()) call.Complete(new OperationCanceledException("the inpainting service stopped"));
            pending.Clear();
        }
        stopping.Dispose();
    }

    private sealed class RepairScope(BatchingRunner owner) : IDisposable
    {
        private int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) != 0) return;
            lock (owner.gate)
            {
                owner.activeRepairs--;
                // One fewer repair to wait for: a batch may be able to start now.
                Monitor.PulseAll(owner.gate);
            }
        }
    }
}
