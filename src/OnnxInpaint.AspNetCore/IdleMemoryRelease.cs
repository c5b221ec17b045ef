using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Gives memory back once the service has been idle a while. Under load the service's memory grows to what its
/// concurrent repairs need, and most of it stays after the load: ONNX Runtime's CPU arena keeps its regions, the C
/// allocator keeps freed blocks in its per-thread arenas, and the garbage collector keeps its committed heap. After
/// <see cref="InpaintingOptions.ReleaseMemoryAfter"/> with nothing running or waiting, this shrinks the model's arena
/// (<see cref="InpaintModel.ReleaseMemory"/>), runs a compacting collection that decommits the freed heap, and on Linux
/// with glibc returns the allocator's free pages to the system (<c>malloc_trim</c>). bench/RESULTS.md has the figures.
/// </summary>
internal sealed class IdleMemoryRelease : IDisposable
{
    private readonly TimeSpan after;
    private readonly Action releaseModel;
    private readonly Func<bool> idle;
    private readonly ILogger logger;
    private readonly Timer? timer;
    private int disposed;

    /// <param name="after">Idle time before releasing; zero turns it off.</param>
    /// <param name="releaseModel">Shrinks the model's memory.</param>
    /// <param name="idle">Whether no repair runs or waits now.</param>
    /// <param name="logger">Where the release is logged (debug).</param>
    public IdleMemoryRelease(TimeSpan after, Action releaseModel, Func<bool> idle, ILogger logger)
    {
        this.after = after;
        this.releaseModel = releaseModel;
        this.idle = idle;
        this.logger = logger;
        if (after > TimeSpan.Zero) timer = new Timer(_ => Release(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The last repair just ended: release after the idle time unless another starts and ends meanwhile (which re-arms it).</summary>
    public void Arm()
    {
        if (Volatile.Read(ref disposed) == 0) timer?.Change(after, Timeout.InfiniteTimeSpan);
    }

    private void Release()
    {
        if (Volatile.Read(ref disposed) != 0 || !idle()) return; // a repair is under way: its end re-arms the timer
        long before = Environment.WorkingSet;
        try
        {
            releaseModel();
        }
        catch (ObjectDisposedException)
        {
            return; // stopping
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        logger.LogDebug("Idle for {Seconds:0.#} s: working set {Before} MiB -> {After} MiB", after.TotalSeconds, before >> 20, Environment.WorkingSet >> 20);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) timer?.Dispose();
    }

    /// <summary>The C allocator's <c>malloc_trim</c>, where there is one (glibc); elsewhere nothing.</summary>
    private static class NativeHeap
    {
        private static bool missing = !OperatingSystem.IsLinux();

        public static void Trim()
        {
            if (missing) return;
            try
            {
                _ = MallocTrim(0);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                missing = true; // musl and other C libraries without it
            }
        }

        [DllImport("libc", EntryPoint = "malloc_trim")]
        private static extern int MallocTrim(nuint pad);
    }
}
