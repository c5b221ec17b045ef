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
    private readonly DamageDetector? detector;
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
        if (o.QuietRuntimeEnvironment) OnnxRuntimeEnvironment.TryConfigureLogging(Microsoft.ML.OnnxRuntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        model = InpaintModel.Load(o.ModelPath, new InpaintModelOptions
        {
            Provider = o.Device, DeviceId = o.DeviceId, IntraOpThreads = o.Threads, BatchSize = o.BatchSize, Spinning = o.Spinning,
            CpuMemoryArena = o.CpuMemoryArena,
        });
        Model = new InpaintingModelInfo(Path.GetFileName(o.ModelPath), model.Contract, model.ActiveExecutionProvider, model.FallbackReason);
        try
        {
            detector = LoadDetector(o);
        }
        catch
        {
            model.Dispose(); // the host does not start: give the model's session (and any GPU memory) back
            throw;
        }
        if (detector is not null)
            Detector = new InpaintingDetectorInfo(Path.GetFileName(o.DetectorPath), detector.Contract, detector.ActiveExecutionProvider, detector.FallbackReason);
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
        if (detector is not null)
            logger.LogInformation("Damage detector {Detector} ({Architecture}, threshold {Threshold:0.##}) on {Provider}",
                Detector!.File, detector.Contract.Architecture, detector.Contract.Threshold, detector.ActiveExecutionProvider);
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
    public InpaintingDetectorInfo? Detector { get; }

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
    public Task<InpaintingResult> RepairAsync(Image<Rgba32> photo, HoleMap holes, InpaintingRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(holes);
        ArgumentNullException.ThrowIfNull(request);
        PhotoRepairer repairer = RepairerFor(request);
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        repairer.Check(photo, holes); // refused here, before it takes a place in the queue
        int variants = request.Variants;
        return RunAsync(new Job<InpaintingResult>(photo, "repair", metrics.RecordRepair, (queued, submitted, token) =>
            WithinBudget((long)photo.Width * photo.Height * variants, token, () =>
            {
                IReadOnlyList<Image<Rgba32>> images;
                IReadOnlyList<RepairReport> reports;
                using (batcher.BeginRepair())
                    images = repairer.Variants(photo, holes, variants, out reports, cancellation: token);
                return new InpaintingResult(images, reports[0], queued, Stopwatch.GetElapsedTime(submitted));
            })), cancellation);
    }

    /// <inheritdoc />
    public Task<DetectionResult> DetectAsync(Image<Rgba32> photo, double? threshold = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        DamageDetector found = detector ?? throw new InvalidOperationException(
            $"the service has no damage detector: set {InpaintingOptions.Section}:{nameof(InpaintingOptions.DetectorPath)}");
        double t = threshold ?? found.Contract.Threshold;
        if (t is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(threshold), t, $"threshold must be between 0 and 1; got {t}");
        return RunAsync(new Job<DetectionResult>(photo, "detection", metrics.RecordDetection, (queued, submitted, token) =>
            WithinBudget((long)photo.Width * photo.Height, token, () =>
                new DetectionResult(found.Detect(photo, t, token), t, queued, Stopwatch.GetElapsedTime(submitted)))), cancellation);
    }

    /// <summary>Runs <paramref name="work"/> once <paramref name="pixels"/> fit in the pixel budget, and gives them back after.</summary>
    private T WithinBudget<T>(long pixels, CancellationToken token, Func<T> work)
    {
        pixelBudget.Take(pixels, token);
        try
        {
            return work();
        }
        finally
        {
            pixelBudget.Give(pixels);
        }
    }

    /// <summary>
    /// Admits <paramref name="job"/> (or refuses it when the queue is full), queues it for a repair thread and waits for
    /// its result, the timeout or the caller, whichever comes first.
    /// </summary>
    private async Task<T> RunAsync<T>(Job<T> job, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref admitted) > options.MaxConcurrentRepairs + options.QueueLength)
        {
            Interlocked.Decrement(ref admitted);
            job.Record("rejected", TimeSpan.Zero);
            throw new InpaintingQueueFullException(
                $"the server is busy: {options.MaxConcurrentRepairs} repairs are running and {options.QueueLength} waiting; try again shortly");
        }

        using var timeout = new CancellationTokenSource(options.RequestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token, stopping.Token);
        job.Cancellation = linked.Token;
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
            job.Record("timeout", Stopwatch.GetElapsedTime(job.Submitted));
            logger.LogWarning("The {Operation} of {Width}x{Height} timed out after {Timeout} s", job.Operation, job.Photo.Width, job.Photo.Height,
                options.RequestTimeout.TotalSeconds);
            throw new TimeoutException($"the {job.Operation} did not finish within the limit of {options.RequestTimeout.TotalSeconds:0.###} s (the server is busy)");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(InpaintingService), "the inpainting service stopped");
        }
        catch (OperationCanceledException)
        {
            job.Record("cancelled", Stopwatch.GetElapsedTime(job.Submitted));
            throw;
        }
    }

    private void Work()
    {
        try
        {
            foreach (Job job in queue.GetConsumingEnumerable(stopping.Token)) Run(job);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Run(Job job)
    {
        Interlocked.Increment(ref running);
        try
        {
            if (job.Cancellation.IsCancellationRequested) job.Cancel();
            else if (job.Execute(Stopwatch.GetElapsedTime(job.Submitted)))
            {
                Interlocked.Increment(ref completed);
                logger.LogDebug("{Operation} of {Width}x{Height} done in {ElapsedMs:0} ms", job.Operation, job.Photo.Width, job.Photo.Height,
                    Stopwatch.GetElapsedTime(job.Submitted).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            job.Cancel();
        }
        catch (Exception e)
        {
            // Not the caller's input (that is checked before submission): the model, the device or a bug.
            lastError = (e.Message, DateTimeOffset.UtcNow);
            job.Record("failed", Stopwatch.GetElapsedTime(job.Submitted));
            logger.LogError(e, "The {Operation} of {Width}x{Height} failed", job.Operation, job.Photo.Width, job.Photo.Height);
            job.Fail(e is InpaintModelException or ObjectDisposedException ? e : new InpaintModelException($"the {job.Operation} failed: {e.Message}", e));
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
        foreach (var job in queue) job.Cancel();
        queue.Dispose();
        model.Dispose();
        detector?.Dispose();
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

    /// <summary>The damage detector of <see cref="InpaintingOptions.DetectorPath"/>, on the model's device; null when none is set.</summary>
    private static DamageDetector? LoadDetector(InpaintingOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.DetectorPath)) return null;
        DamageDetector detector = DamageDetector.Load(o.DetectorPath, new InpaintModelOptions
        {
            Provider = o.Device, DeviceId = o.DeviceId, IntraOpThreads = o.Threads, Spinning = o.Spinning, CpuMemoryArena = o.CpuMemoryArena,
        });
        detector.Levels = o.DetectorLevels; // in range: the options were validated when they were read
        return detector;
    }

    /// <summary>Work for a repair thread: a repair or a detection of one photo, and how its caller learns the outcome.</summary>
    private abstract class Job(Image<Rgba32> photo, string operation, Action<string, Image, TimeSpan> record)
    {
        public Image<Rgba32> Photo => photo;

        /// <summary>What it is, for messages and logs: "repair" or "detection".</summary>
        public string Operation => operation;

        public long Submitted { get; } = Stopwatch.GetTimestamp();

        /// <summary>The caller's, the timeout's and the service's cancellation together (set when it is queued).</summary>
        public CancellationToken Cancellation { get; set; }

        /// <summary>Counts an outcome in the metrics, with the photo's size.</summary>
        public void Record(string outcome, TimeSpan elapsed) => record(outcome, photo, elapsed);

        /// <summary>Does the work and hands the result over; false when the caller had given up meanwhile.</summary>
        public abstract bool Execute(TimeSpan queued);

        public abstract void Cancel();

        public abstract void Fail(Exception error);
    }

    private sealed class Job<T>(Image<Rgba32> photo, string operation, Action<string, Image, TimeSpan> record, Func<TimeSpan, long, CancellationToken, T> work)
        : Job(photo, operation, record)
    {
        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool Execute(TimeSpan queued)
        {
            T result = work(queued, Submitted, Cancellation);
            if (!Result.TrySetResult(result))
            {
                (result as IDisposable)?.Dispose(); // the caller gave up meanwhile
                return false;
            }
            Record("ok", Stopwatch.GetElapsedTime(Submitted));
            return true;
        }

        public override void Cancel() => Result.TrySetCanceled(Cancellation);

        public override void Fail(Exception error) => Result.TrySetException(error);
    }
}
