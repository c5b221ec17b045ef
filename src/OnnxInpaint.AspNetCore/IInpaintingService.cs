using Inpaint.Contract;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Repairs photos with the shared model, asynchronously: requests queue (bounded), run on a fixed number of repair
/// threads, and their model calls are batched across concurrent requests. Registered by
/// <see cref="InpaintingServiceCollectionExtensions.AddInpainting(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{InpaintingOptions})"/>.
/// </summary>
public interface IInpaintingService
{
    /// <summary>The model and where it runs.</summary>
    InpaintingModelInfo Model { get; }

    /// <summary>Repairs <paramref name="photo"/> where <paramref name="holes"/> says; the photo stays the caller's.</summary>
    /// <exception cref="ArgumentException">The hole map and the photo differ in size.</exception>
    /// <exception cref="InpaintingQueueFullException">The queue is full: nothing was started.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="InpaintingOptions.RequestTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired (the caller gave up).</exception>
    /// <exception cref="InpaintModelException">The model failed.</exception>
    Task<InpaintingResult> RepairAsync(Image<Rgba32> photo, HoleMap holes, CancellationToken cancellation = default);

    /// <summary>Queue, batching and error state now.</summary>
    InpaintingStatus Status { get; }
}

/// <summary>The shared model.</summary>
/// <param name="File">The model file's name (no folders).</param>
/// <param name="Contract">Its "inpaint/1" contract.</param>
/// <param name="Provider">Where it really runs.</param>
/// <param name="FallbackReason">Why Auto ended on the CPU, when it did.</param>
public sealed record InpaintingModelInfo(string File, ModelContract Contract, ExecutionProvider Provider, string? FallbackReason)
{
    /// <summary>The family's word: "center" (a patch model filling a centred square) or "freeform".</summary>
    public string Family => Contract.Family.Word();
}

/// <summary>A repaired photo and what it took. Dispose it to free the image.</summary>
/// <param name="Image">The repaired photo (the caller's to dispose).</param>
/// <param name="Report">What the repair did.</param>
/// <param name="Queued">Time waiting for a repair thread.</param>
/// <param name="Elapsed">Time from submission to result.</param>
public sealed record InpaintingResult(Image<Rgba32> Image, RepairReport Report, TimeSpan Queued, TimeSpan Elapsed) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}

/// <summary>The service's state.</summary>
/// <param name="Running">Repairs running.</param>
/// <param name="Queued">Repairs waiting for a repair thread.</param>
/// <param name="MaxConcurrentRepairs">Repair threads.</param>
/// <param name="QueueLength">Most that may wait.</param>
/// <param name="Batching">Whether model calls are batched across requests.</param>
/// <param name="Batches">The batcher's counts.</param>
/// <param name="Completed">Repairs finished.</param>
/// <param name="LastError">The last failure that was not the caller's (a model or internal error), if any.</param>
/// <param name="LastErrorAt">When it happened.</param>
public sealed record InpaintingStatus(int Running, int Queued, int MaxConcurrentRepairs, int QueueLength, bool Batching, BatchStatistics Batches,
    long Completed, string? LastError, DateTimeOffset? LastErrorAt)
{
    /// <summary>Whether one more request would be refused.</summary>
    public bool Full => Running + Queued >= MaxConcurrentRepairs + QueueLength;
}
