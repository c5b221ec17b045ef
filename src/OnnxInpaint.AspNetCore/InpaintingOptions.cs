namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// What <see cref="InpaintingServiceCollectionExtensions.AddInpainting(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{InpaintingOptions})"/>
/// registers: one shared model, how many repairs run at once, how many may wait, and how their model calls are batched.
/// Binds from configuration (section <c>Inpaint</c> in the server). Defaults and ranges are <see cref="RepairSettings"/>'
/// and <see cref="InpaintingSettings"/>'; <see cref="Problems"/> checks them all at start-up.
/// </summary>
public sealed class InpaintingOptions
{
    /// <summary>The configuration section the server binds (and that messages name).</summary>
    public const string Section = "Inpaint";

    /// <summary>The "inpaint/1" ONNX model file. Required.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// The damage detector ONNX model (<c>inpaint.task = detect</c>) for <see cref="IInpaintingService.DetectAsync"/>;
    /// empty: no detector (the server fills in the shipped one when it finds it). It runs on the model's device and threads.
    /// </summary>
    public string DetectorPath { get; set; } = "";

    /// <summary>How many scales of the photo the detector looks at (<see cref="DamageDetector.Levels"/>, <see cref="DetectSettings.Levels"/>).</summary>
    public int DetectorLevels { get; set; } = DetectSettings.Levels.Default;

    /// <summary>Where the model runs: Auto (CUDA when usable, else the CPU), Cpu or Cuda (no fallback).</summary>
    public ExecutionProvider Device { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    public int DeviceId { get; set; } = RepairSettings.DeviceId.Default;

    /// <summary>Threads of one model call (0: ONNX Runtime's default, the physical cores).</summary>
    public int Threads { get; set; } = RepairSettings.Threads.Default;

    /// <summary>
    /// Let the model's operator threads spin while they wait for work (off by default in a service: between model
    /// calls they would take CPU from the repair threads' decoding, planning and pre-fill; see
    /// <see cref="InpaintModelOptions.Spinning"/>).
    /// </summary>
    public bool Spinning { get; set; }

    /// <summary>
    /// Keep freed CPU buffers in ONNX Runtime's arena (<see cref="InpaintModelOptions.CpuMemoryArena"/>; on by default:
    /// measured under load with two repair threads, turning it off cost 28-38 % of the throughput and did not lower the
    /// peak; see bench/RESULTS.md).
    /// </summary>
    public bool CpuMemoryArena { get; set; } = true;

    /// <summary>
    /// Create ONNX Runtime's process-wide environment with only fatal errors logged, when nothing created it before
    /// (<see cref="OnnxRuntimeEnvironment.TryConfigureLogging"/>). Off by default: the environment is the host's. The
    /// server turns it on (<c>Inpaint:QuietRuntimeEnvironment</c>).
    /// </summary>
    public bool QuietRuntimeEnvironment { get; set; }

    /// <summary>Windows or tiles one repair hands over per model call.</summary>
    public int BatchSize { get; set; } = RepairSettings.Batch.Default;

    /// <summary>Most fills one request may ask for (<see cref="InpaintingRequest.Variants"/>): each is a texture synthesis of the photo's large holes.</summary>
    public int MaxVariants { get; set; } = InpaintingSettings.MaxVariants.Default;

    /// <summary>Most repairs running at once (each on its own thread); more wait in the queue.</summary>
    public int MaxConcurrentRepairs { get; set; } = InpaintingSettings.MaxConcurrentRepairs.Default;

    /// <summary>Most repairs waiting for a free slot; one more is refused at once (<see cref="InpaintingQueueFullException"/>).</summary>
    public int QueueLength { get; set; } = InpaintingSettings.QueueLength.Default;

    /// <summary>The pixels under repair at once (<see cref="InpaintingSettings.MaxInFlightPixels"/>): what bounds the service's memory.</summary>
    public long MaxInFlightPixels { get; set; } = InpaintingSettings.MaxInFlightPixels.Default;

    /// <summary>Longest a repair may take from submission to result, queue included (<see cref="TimeoutException"/> after).</summary>
    public TimeSpan RequestTimeout { get; set; } = InpaintingSettings.RequestTimeout.Default;

    /// <summary>Idle time after which memory is given back (<see cref="InpaintingSettings.ReleaseMemoryAfter"/>); <see cref="TimeSpan.Zero"/> never.</summary>
    public TimeSpan ReleaseMemoryAfter { get; set; } = InpaintingSettings.ReleaseMemoryAfter.Default;

    /// <summary>Cross-request batching of model calls.</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>Window placement, grouping and tiling, as for <see cref="PhotoRepairer"/>.</summary>
    public RepairOptions Repair { get; set; } = new();

    /// <summary>
    /// Every setting that is missing or out of its range, one line each, named by its configuration key under
    /// <paramref name="section"/> (e.g. <c>Inpaint:Repair:Feather must be between 0 and 256; got 300</c>).
    /// </summary>
    public IEnumerable<string> Problems(string section = Section)
    {
        if (string.IsNullOrWhiteSpace(ModelPath)) yield return $"{section}:ModelPath (the ONNX model file) is required";
        string?[] own =
        [
            RepairSettings.DeviceId.Check(DeviceId, $"{section}:{nameof(DeviceId)}"),
            RepairSettings.Threads.Check(Threads, $"{section}:{nameof(Threads)}"),
            DetectSettings.Levels.Check(DetectorLevels, $"{section}:{nameof(DetectorLevels)}"),
            RepairSettings.Batch.Check(BatchSize, $"{section}:{nameof(BatchSize)}"),
            InpaintingSettings.MaxConcurrentRepairs.Check(MaxConcurrentRepairs, $"{section}:{nameof(MaxConcurrentRepairs)}"),
            InpaintingSettings.QueueLength.Check(QueueLength, $"{section}:{nameof(QueueLength)}"),
            InpaintingSettings.MaxInFlightPixels.Check(MaxInFlightPixels, $"{section}:{nameof(MaxInFlightPixels)}"),
            InpaintingSettings.MaxVariants.Check(MaxVariants, $"{section}:{nameof(MaxVariants)}"),
            InpaintingSettings.RequestTimeout.Check(RequestTimeout, $"{section}:{nameof(RequestTimeout)}"),
            InpaintingSettings.ReleaseMemoryAfter.Check(ReleaseMemoryAfter, $"{section}:{nameof(ReleaseMemoryAfter)}"),
        ];
        foreach (string problem in own.OfType<string>()) yield return problem;
        foreach (string problem in Batching.Problems($"{section}:{nameof(Batching)}")) yield return problem;
        foreach (string problem in Repair.Problems((_, property) => $"{section}:{nameof(Repair)}:{property}")) yield return problem;
    }
}

/// <summary>
/// The dynamic batcher (as Triton's): model calls of concurrent repairs with the same input size wait at most
/// <see cref="MaxDelay"/> for each other and run as one call of at most <see cref="MaxBatchSize"/> windows.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>Off: every repair calls the model itself (concurrent calls share the session's threads).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most windows or tiles in one model call across requests (a single larger call still runs alone).</summary>
    public int MaxBatchSize { get; set; } = InpaintingSettings.MaxBatchSize.Default;

    /// <summary>
    /// Longest the oldest waiting call waits for others. The batcher runs earlier when the batch is full or when every
    /// repair in progress is already waiting, so a lone request never pays this delay.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = InpaintingSettings.MaxDelay.Default;

    /// <summary>
    /// Model calls that may run at once (Triton's instance count). On a CPU, 2 keeps the cores busy while the next
    /// batch is gathered and the last one handed back; on one GPU, 1 or 2.
    /// </summary>
    public int Instances { get; set; } = InpaintingSettings.Instances.Default;

    /// <summary>Every setting out of its range, named by its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Problems(string section)
    {
        string?[] problems =
        [
            InpaintingSettings.MaxBatchSize.Check(MaxBatchSize, $"{section}:{nameof(MaxBatchSize)}"),
            InpaintingSettings.MaxDelay.Check(MaxDelay, $"{section}:{nameof(MaxDelay)}"),
            InpaintingSettings.Instances.Check(Instances, $"{section}:{nameof(Instances)}"),
        ];
        return problems.OfType<string>();
    }
}
