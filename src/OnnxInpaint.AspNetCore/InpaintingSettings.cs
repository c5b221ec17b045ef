namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// The definitions of the service's own options (<see cref="Setting{T}"/>); the model's and the repair's come from
/// <see cref="RepairSettings"/>. <see cref="InpaintingOptions"/> takes its defaults from here and is checked against
/// these ranges at start-up, with the command line's words.
/// </summary>
public static class InpaintingSettings
{
    /// <summary>
    /// Repairs running at once: the core count by default. On a CPU the model's calls share the cores anyway, so more
    /// concurrent repairs only hold more photos and model buffers in memory without more throughput (bench/RESULTS.md).
    /// </summary>
    public static Setting<int> MaxConcurrentRepairs { get; } = new("max-concurrent-repairs", Math.Max(1, Environment.ProcessorCount), 1, 1024,
        "Most repairs running at once (each on its own thread); more wait in the queue");

    /// <summary>The pixels of the photos being repaired at once (times their variants): 12 MP a core by default.</summary>
    public static Setting<long> MaxInFlightPixels { get; } = new("max-in-flight-pixels", 12_000_000L * Math.Max(1, Environment.ProcessorCount), 1, 1_000_000_000_000,
        "Most pixels under repair at once (photo pixels times variants); a repair waits in the queue until its photo fits, and one larger than this runs alone");

    /// <summary>Fills one request may ask for.</summary>
    public static Setting<int> MaxVariants { get; } = new("max-variants", 4, 1, RepairSettings.Variants.Max,
        "Most different fills one request may ask for (each synthesises the photo's large holes again)");

    /// <summary>Repairs that may wait.</summary>
    public static Setting<int> QueueLength { get; } = new("queue-length", 64, 0, 100_000,
        "Most repairs waiting for a free slot; one more is refused at once");

    /// <summary>The longest a repair may take, queue included.</summary>
    public static Setting<TimeSpan> RequestTimeout { get; } = new("request-timeout", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1),
        "Longest a repair may take from submission to result, queue included");

    /// <summary>How long the service waits, once no repair runs or waits, before it gives memory back (<see cref="IdleMemoryRelease"/>).</summary>
    public static Setting<TimeSpan> ReleaseMemoryAfter { get; } = new("release-memory-after", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromDays(1),
        "Idle time after which the service gives memory back (the model's arena, freed native and managed memory); 0 never");

    /// <summary>Windows or tiles in one batched model call.</summary>
    public static Setting<int> MaxBatchSize { get; } = new("max-batch-size", 32, 1, 4096,
        "Most windows or tiles in one model call across requests (a single larger call still runs alone)");

    /// <summary>The longest the oldest waiting call waits for others.</summary>
    public static Setting<TimeSpan> MaxDelay { get; } = new("max-delay", TimeSpan.FromMilliseconds(10), TimeSpan.Zero, TimeSpan.FromSeconds(10),
        "Longest the oldest waiting model call waits for others");

    /// <summary>Model calls that may run at once.</summary>
    public static Setting<int> Instances { get; } = new("instances", 2, 1, 64, "Model calls that may run at once (Triton's instance count)");
}
