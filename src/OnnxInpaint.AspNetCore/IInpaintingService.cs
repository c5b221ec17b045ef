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

    /// <summary>
    /// As <see cref="RepairAsync(Image{Rgba32}, HoleMap, CancellationToken)"/>, with this request's fill, seed and number of
    /// variants instead of the configured ones (<see cref="InpaintingResult.Variants"/> holds them all).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="request"/> out of its range.</exception>
    Task<InpaintingResult> RepairAsync(Image<Rgba32> photo, HoleMap holes, InpaintingRequest request, CancellationToken cancellation = default);

    /// <summary>The damage detector, or null when the service has none (<see cref="InpaintingOptions.DetectorPath"/> is empty).</summary>
    InpaintingDetectorInfo? Detector { get; }

    /// <summary>
    /// Finds the damage in <paramref name="photo"/> with the service's detector (the photo stays the caller's): the holes
    /// to repair, white in a mask. It queues with the repairs, under the same limits and timeout.
    /// </summary>
    /// <param name="photo">The photo.</param>
    /// <param name="threshold">The damage probability from which a pixel counts (0..1, exclusive); null: the detector's own.</param>
    /// <param name="cancellation">Fires when the caller gives up.</param>
    /// <exception cref="InvalidOperationException">The service has no detector.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> outside (0, 1).</exception>
    /// <exception cref="InpaintingQueueFullException">The queue is full: nothing was started.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="InpaintingOptions.RequestTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    /// <exception cref="InpaintModelException">The detector failed.</exception>
    Task<DetectionResult> DetectAsync(Image<Rgba32> photo, double? threshold = null, CancellationToken cancellation = default);

    /// <summary>Queue, batching and error state now.</summary>
    InpaintingStatus Status { get; }
}

/// <summary>The service's damage detector.</summary>
/// <param name="File">The detector file's name (no folders).</param>
/// <param name="Contract">Its contract, with the threshold it was tuned for.</param>
/// <param name="Provider">Where it really runs.</param>
/// <param name="FallbackReason">Why Auto ended on the CPU, when it did.</param>
public sealed record InpaintingDetectorInfo(string File, DetectorContract Contract, ExecutionProvider Provider, string? FallbackReason);

/// <summary>The damage found in a photo.</summary>
/// <param name="Damage">The damaged pixels, as holes the repair takes (<see cref="MaskSource.Detected"/>).</param>
/// <param name="Threshold">The threshold it was found with.</param>
/// <param name="Queued">Time waiting for a repair thread.</param>
/// <param name="Elapsed">Time from submission to result.</param>
public sealed record DetectionResult(HoleMap Damage, double Threshold, TimeSpan Queued, TimeSpan Elapsed);

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

/// <summary>What one request may choose for itself; null keeps the service's configured value.</summary>
public sealed record InpaintingRequest
{
    /// <summary>What fills each hole region (<see cref="RepairOptions.Fill"/>).</summary>
    public FillMode? Fill { get; init; }

    /// <summary>The seed of the texture fill (<see cref="RepairOptions.Seed"/>).</summary>
    public int? Seed { get; init; }

    /// <summary>How many different fills to return (<see cref="RepairSettings.Variants"/>; the service may allow fewer).</summary>
    public int Variants { get; init; } = 1;

    /// <summary>Repair holes that cover more than <see cref="HoleCheck.LargeShare"/> of the photo (<see cref="RepairOptions.AllowLargeHoles"/>); null: the service's setting.</summary>
    public bool? AllowLargeHoles { get; init; }
}

/// <summary>A repaired photo (or several variants) and what it took. Dispose it to free the images.</summary>
/// <param name="Variants">The repaired photos, one per variant (the caller's to dispose, through this result).</param>
/// <param name="Report">What the repair did (the first variant's).</param>
/// <param name="Queued">Time waiting for a repair thread.</param>
/// <param name="Elapsed">Time from submission to result.</param>
public sealed record InpaintingResult(IReadOnlyList<Image<Rgba32>> Variants, RepairReport Report, TimeSpan Queued, TimeSpan Elapsed) : IDisposable
{
    /// <summary>A result of one repaired photo.</summary>
    public InpaintingResult(Image<Rgba32> image, RepairReport report, TimeSpan queued, TimeSpan elapsed) : this([image], report, queued, elapsed)
    {
    }

    /// <summary>The repaired photo (the first variant).</summary>
    public Image<Rgba32> Image => Variants[0];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Image<Rgba32> image in Variants) image.Dispose();
    }
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
