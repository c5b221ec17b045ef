using System.Collections.Concurrent;
using System.Diagnostics;
using Inpaint.Imaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// <see cref="IInpaintingService"/>: one model, a fixed set of repair threads fed by a bounded queue, and a
/// <see cref="BatchingRunner"/> between the repairs and the model. Repairs block their thread while their windows wait
/// for a model call, so they run on threads of their own, never on the thread pool that serves requests.
/// </summary>
public sealed class InpaintingService : IInpaintingService, IDisposable
{
    private readonly InpaintingOptions options;
    private readonly ILogger<InpaintingService> logger;
    private readonly InpaintingMetrics metrics;
    private readonly InpaintModel model;
    private readonly BatchingRunner batcher;
    private readonly PixelBudget pixelBudget;
    private readonly PhotoRepairer repairer;
    private readonly BlockingCollection<Job> queue = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread[] workers;
    private readonly IdleMemoryRelease memoryRelease;
    private int admitted, running;
    private long completed;
    private (string Message, DateTimeOffset At)? lastError;
    private int disposed;

    /// <summary>Loads the model and starts the repair threads.</summary>
    /// <exception cref="FileNotFoundException">No model file.</exception>
    /// <exception cref="InvalidDataException">Not an "inpaint/1" model.</exception>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot be used.</exception>
    public InpaintingService(IOptions<InpaintingOptions> options, ILogger<InpaintingService> logger, InpaintingMetrics metrics)
        : this(options, logger, metrics, wrap: null)
    {
    }

    /// <summary>Test seam: <paramref name="wrap"/> puts a runner between the batcher and the model (to hold or fail calls).</summary>
    internal InpaintingService(IOptions<InpaintingOptions> options, ILogger<InpaintingService> logger, InpaintingMetrics metrics,
        Func<InpaintModel, IInpaintRunner>? wrap)
    {
        this.options = options.Value;
        this.logger = logger;
        this.metrics = metrics;
        var o = this.options;
        model = InpaintModel.Load(o.ModelPath, new InpaintModelOptions
        {
            Provider = o.Device, DeviceId = o.DeviceId, IntraOpThreads = o.Threads, BatchSize = o.BatchSize, Spinning = o.Spinning,
            CpuMemoryArena = o.CpuMemoryArena,
        });
        Model = new InpaintingModelInfo(Path.GetFileName(o.ModelPath), model.Contract, model.ActiveExecutionProvider, model.FallbackReason);
        pixelBudget = new PixelBudget(o.MaxInFlightPixels);
        batcher = new BatchingRunner(wrap?.Invoke(model) ?? model, o.Batching.Enabled ? o.Batching.MaxBatchSize : 1, o.Batching.MaxDelay, OnBatch,
            o.Batching.Instances);
        repairer = new PhotoRepairer(batcher, o.Repair);
        metrics.ObserveQueue(() => Status);
        memoryRelease = new IdleMemoryRelease(o.ReleaseMemoryAfter, model.ReleaseMemory, () => Volatile.Read(ref admitted) == 0, logger);
        logger.LogInformation("Model {Model} ({Architecture}, {Family}, {ImageSize} px) on {Provider}{Fallback}; {Workers} repair threads, queue {QueueLength}, batching {Batching}",
            Model.File, model.Contract.Architecture, Model.Family, model.Contract.ImageSize, model.ActiveExecutionProvider,
            model.FallbackReason is null ? "" : $" ({model.FallbackReason})", o.MaxConcurrentRepairs, o.QueueLength,
            o.Batching.Enabled ? $"up to {o.Batching.MaxBatchSize} windows, {o.Batching.MaxDelay.TotalMilliseconds:0.#} ms" : "off");
        workers = new Thread[o.MaxConcurrentRepairs];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Work) { IsBackground = true, Name = $"inpaint repair {i + 1}" };
            workers[i].Start();
        }
    }

    /// <inheritdoc />
    public InpaintingModelInfo Model { get; }

    /// <inheritdoc />
    public InpaintingStatus Status
    {
        get
        {
            int run = Volatile.Read(ref running);
            var error = lastError;
            return new InpaintingStatus(run, Math.Max(0, Volatile.Read(ref admitted) - run), options.MaxConcurrentRepairs, options.QueueLength,
                batcher.Batching, batcher.Statistics, Interlocked.Read(ref completed), error?.Message, error?.At);
        }
    }

    /// <summary>The batcher (tests read its statistics).</summary>
    internal BatchingRunner Batcher => batcher;

    /// <inheritdoc />
    public Task<InpaintingResult> RepairAsync(Image<Rgba32> photo, HoleMap holes, CancellationToken cancellation = default) =>
        RepairAsync(photo, holes, new InpaintingRequest(), cancellation);

    /// <inheritdoc />
    public async Task<InpaintingResult> RepairAsync(Image<Rgba32> photo, HoleMap holes, InpaintingRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(holes);
        ArgumentNullException.ThrowIfNull(request);
        PhotoRepairer repairer = RepairerFor(request);
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        repairer.Check(photo, holes); // refused here, before it takes a place in the queue
        cancellation.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref admitted) > options.MaxConcurrentRepairs + options.QueueLength)
        {
            Interlocked.Decrement(ref admitted);
            metrics.RecordRepair("rejected", photo, TimeSpan.Zero);
            throw new InpaintingQueueFullException(
                $"the server is busy: {options.MaxConcurrentRepairs} repairs are running and {options.QueueLength} waiting; try again shortly");
        }

        using var timeout = new CancellationTokenSource(options.RequestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token, stopping.Token);
        var job = new Job(photo, holes, repairer, request.Variants, linked.Token);
        // The caller stops waiting as soon as it gives up or times out; the repair thread notices at its next step.
        await using var registration = linked.Token.Register(() => job.Result.TrySetCanceled(linked.Token));
        try
        {
            queue.Add(job, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Disposed between the check above and now: the queue takes nothing more.
            Interlocked.Decrement(ref admitted);
            throw new ObjectDisposedException(nameof(InpaintingService), "the inpainting service stopped");
        }
        try
        {
            return await job.Result.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            metrics.RecordRepair("timeout", photo, Stopwatch.GetElapsedTime(job.Submitted));
            logger.LogWarning("Repair of {Width}x{Height} timed out after {Timeout} s", photo.Width, photo.Height, options.RequestTimeout.TotalSeconds);
            throw new TimeoutException($"the repair did not finish within the limit of {options.RequestTimeout.TotalSeconds:0.###} s (the server is busy)");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(InpaintingService), "the inpainting service stopped");
        }
        catch (OperationCanceledException)
        {
            metrics.RecordRepair("cancelled", photo, Stopwatch.GetElapsedTime(job.Submitted));
            throw;
        }
    }

    private void Work()
    {
        try
        {
            foreach (Job job in queue.GetConsumingEnumerable(stopping.Token)) Repair(job);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Repair(Job job)
    {
        Interlocked.Increment(ref running);
        TimeSpan queued = Stopwatch.GetElapsedTime(job.Submitted);
        try
        {
            if (job.Cancellation.IsCancellationRequested)
            {
                job.Result.TrySetCanceled(job.Cancellation);
                return;
            }
            IReadOnlyList<Image<Rgba32>> images;
            IReadOnlyList<RepairReport> reports;
            long pixels = (long)job.Photo.Width * job.Photo.Height * job.Variants;
            pixelBudget.Take(pixels, job.Cancellation);
            try
            {
                using (batcher.BeginRepair())
                    images = job.Repairer.Variants(job.Photo, job.Holes, job.Variants, out reports, cancellation: job.Cancellation);
            }
            finally
            {
                pixelBudget.Give(pixels);
            }
            RepairReport report = reports[0];
            var result = new InpaintingResult(images, report, queued, Stopwatch.GetElapsedTime(job.Submitted));
            if (!job.Result.TrySetResult(result))
            {
                result.Dispose(); // the caller gave up meanwhile
                return;
            }
            Interlocked.Increment(ref completed);
            metrics.RecordRepair("ok", job.Photo, result.Elapsed);
            logger.LogDebug("Repaired {Width}x{Height}: {HolePixels} hole pixels, {Windows} windows, queued {QueuedMs:0} ms, total {ElapsedMs:0} ms",
                job.Photo.Width, job.Photo.Height, report.HolePixels, report.Windows, queued.TotalMilliseconds, result.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            job.Result.TrySetCanceled(job.Cancellation);
        }
        catch (Exception e)
        {
            // Not the caller's input (that is checked before submission): the model, the device or a bug.
            lastError = (e.Message, DateTimeOffset.UtcNow);
            metrics.RecordRepair("failed", job.Photo, Stopwatch.GetElapsedTime(job.Submitted));
            logger.LogError(e, "Repair of {Width}x{Height} failed", job.Photo.Width, job.Photo.Height);
            job.Result.TrySetException(e is InpaintModelException or ObjectDisposedException ? e : new InpaintModelException($"the repair failed: {e.Message}", e));
        }
        finally
        {
            Interlocked.Decrement(ref running);
            if (Interlocked.Decrement(ref admitted) == 0) memoryRelease.Arm();
        }
    }

    private void OnBatch(BatchRun run)
    {
        metrics.RecordBatch(run);
        if (run.Error is { } error && !stopping.IsCancellationRequested)
        {
            lastError = ($"model call failed: {error.Message}", DateTimeOffset.UtcNow);
            logger.LogError(error, "Model call of {Windows} windows for {Requests} requests failed", run.Windows, run.Requests);
        }
    }

    /// <summary>Stops the repair threads (waiting and running requests are cancelled), the batcher and the model.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        stopping.Cancel();
        memoryRelease.Dispose();
        queue.CompleteAdding();
        batcher.Dispose(); // releases repair threads blocked on a model call
        foreach (var worker in workers) worker.Join();
        foreach (var job in queue) job.Result.TrySetCanceled(stopping.Token);
        queue.Dispose();
        model.Dispose();
        stopping.Dispose();
    }

    /// <summary>
    /// The configured repairer, or one with this request's fill and seed (cheap: a repairer holds only its options and
    /// the shared runner).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value out of its range, or more variants than the service allows.</exception>
    private PhotoRepairer RepairerFor(InpaintingRequest request)
    {
        if (request.Variants < 1 || request.Variants > options.MaxVariants)
            throw new ArgumentOutOfRangeException(nameof(request), $"variants must be between 1 and {options.MaxVariants}; got {request.Variants}");
        if (request.Fill is null && request.Seed is null && request.AllowLargeHoles is null) return repairer;
        RepairOptions chosen = options.Repair with
        {
            Fill = request.Fill ?? options.Repair.Fill, Seed = request.Seed ?? options.Repair.Seed,
            AllowLargeHoles = request.AllowLargeHoles ?? options.Repair.AllowLargeHoles,
        };
        return new PhotoRepairer(batcher, chosen);
    }

    private sealed record Job(Image<Rgba32> Photo, HoleMap Holes, PhotoRepairer Repairer, int Variants, CancellationToken Cancellation)
    {
        public long Submitted { get; } = Stopwatch.GetTimestamp();
        public TaskCompletionSource<InpaintingResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
