using System.ComponentModel.DataAnnotations;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// What <see cref="InpaintingServiceCollectionExtensions.AddInpainting(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{InpaintingOptions})"/>
/// registers: one shared model, how many repairs run at once, how many may wait, and how their model calls are batched.
/// Binds from configuration (section <c>Inpaint</c> in the server).
/// </summary>
public sealed class InpaintingOptions
{
    /// <summary>The "inpaint/1" ONNX model file. Required.</summary>
    [Required(ErrorMessage = "Inpaint:ModelPath (the ONNX model file) is required")]
    public string ModelPath { get; set; } = "";

    /// <summary>Where the model runs: Auto (CUDA when usable, else the CPU), Cpu or Cuda (no fallback).</summary>
    public ExecutionProvider Device { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    [Range(0, 255)]
    public int DeviceId { get; set; }

    /// <summary>Threads of one model call (0: ONNX Runtime's default, the physical cores).</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Windows or tiles one repair hands over per model call.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Most repairs running at once (each on its own thread); more wait in the queue.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRepairs { get; set; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Most repairs waiting for a free slot; one more is refused at once (<see cref="InpaintingQueueFullException"/>).</summary>
    [Range(0, 100_000)]
    public int QueueLength { get; set; } = 64;

    /// <summary>Longest a repair may take from submission to result, queue included (<see cref="TimeoutException"/> after).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cross-request batching of model calls.</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>Window placement, grouping and tiling, as for <see cref="PhotoRepairer"/>.</summary>
    public RepairOptions Repair { get; set; } = new();
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
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Longest the oldest waiting call waits for others. The batcher runs earlier when the batch is full or when every
    /// repair in progress is already waiting, so a lone request never pays this delay.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Model calls that may run at once (Triton's instance count). On a CPU, 2 keeps the cores busy while the next
    /// batch is gathered and the last one handed back; on one GPU, 1 or 2.
    /// </summary>
    [Range(1, 64)]
    public int Instances { get; set; } = 2;
}
