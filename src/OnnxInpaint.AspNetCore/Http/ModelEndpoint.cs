using Inpaint.OnnxInpaint;
using Microsoft.Extensions.Options;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary><c>GET /v1/model</c>: the model's contract and family, where it runs, the damage detector, the limits, and batching so far.</summary>
internal static class ModelEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("model", (IInpaintingService service, IOptions<InpaintingOptions> options, IOptions<InpaintingHttpLimits> limits) =>
                Describe(service, options.Value, limits.Value))
            .WithName("Model")
            .WithSummary("The model, its device, the limits and batch statistics");

    private static ModelDescription Describe(IInpaintingService service, InpaintingOptions options, InpaintingHttpLimits limits)
    {
        InpaintingModelInfo model = service.Model;
        InpaintingStatus status = service.Status;
        BatchStatistics batches = status.Batches;
        return new ModelDescription(
            model.File, model.Contract.Version, model.Contract.Architecture, model.Family, model.Contract.Hole.ToString(), model.Contract.ImageSize,
            model.Provider.ToString(), model.FallbackReason,
            service.Detector is { } detector
                ? new DetectorDescription(detector.File, detector.Contract.Architecture, detector.Contract.Threshold, detector.Provider.ToString())
                : null,
            new LimitsDescription(limits.MaxBodyBytes, limits.MaxPixels, options.MaxConcurrentRepairs, options.QueueLength,
                options.RequestTimeout.TotalSeconds, RepairSettings.Grow.Max, options.MaxVariants, options.Repair.Fill.Word(),
                HoleCheck.Limit(options.Repair.AllowLargeHoles)),
            new BatchingDescription(status.Batching, options.Batching.MaxBatchSize, options.Batching.MaxDelay.TotalMilliseconds, options.BatchSize),
            new StatisticsDescription(status.Completed, status.Running, status.Queued, batches.ModelCalls, batches.Windows, batches.Requests,
                Math.Round(batches.MeanBatchSize, 3), batches.LargestBatch, batches.MostRequests, status.LastError));
    }
}

/// <summary>The model and the service around it.</summary>
/// <param name="File">Model file name.</param>
/// <param name="Contract">"inpaint/N" contract version.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="Family">"center" or "freeform".</param>
/// <param name="Hole">The contract's hole kind: center:N or any.</param>
/// <param name="ImageSize">Input side of a patch model; training tile of a freeform one.</param>
/// <param name="Provider">Where it runs: Cpu or Cuda.</param>
/// <param name="FallbackReason">Why it is on the CPU when a GPU was tried.</param>
/// <param name="Detector">The damage detector of <c>/v1/detect</c> and <c>auto=true</c>; null when the server has none.</param>
/// <param name="Limits">Request limits.</param>
/// <param name="Batching">Cross-request batching.</param>
/// <param name="Statistics">Counts since start.</param>
internal sealed record ModelDescription(string File, int Contract, string Architecture, string Family, string Hole, int ImageSize, string Provider,
    string? FallbackReason, DetectorDescription? Detector, LimitsDescription Limits, BatchingDescription Batching, StatisticsDescription Statistics);

/// <summary>The damage detector.</summary>
/// <param name="File">Detector file name.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="Threshold">The threshold it was tuned for (used when a request names none).</param>
/// <param name="Provider">Where it runs: Cpu or Cuda.</param>
internal sealed record DetectorDescription(string File, string Architecture, double Threshold, string Provider);

/// <summary>Request limits.</summary>
/// <param name="MaxBodyBytes">Largest request body.</param>
/// <param name="MaxPixels">Largest photo or mask (width x height).</param>
/// <param name="MaxConcurrentRepairs">Repairs running at once.</param>
/// <param name="QueueLength">Repairs that may wait.</param>
/// <param name="RequestTimeoutSeconds">Longest a repair may take, queue included.</param>
/// <param name="MaxGrow">Largest 'grow'.</param>
/// <param name="MaxVariants">Most 'variants' one request may ask for.</param>
/// <param name="Fill">The fill when a request names none: auto, smooth or texture.</param>
/// <param name="MaxHoleShare">The largest share of a photo (0..1) that may be holes unless a request sends allowLargeHoles=true.</param>
internal sealed record LimitsDescription(long MaxBodyBytes, long MaxPixels, int MaxConcurrentRepairs, int QueueLength, double RequestTimeoutSeconds, int MaxGrow,
    int MaxVariants, string Fill, double MaxHoleShare);

/// <summary>Cross-request batching.</summary>
/// <param name="Enabled">Whether model calls of concurrent repairs are merged.</param>
/// <param name="MaxBatchSize">Most windows per model call.</param>
/// <param name="MaxDelayMs">Longest a call waits for others.</param>
/// <param name="WindowsPerRepairCall">Windows one repair hands over per call.</param>
internal sealed record BatchingDescription(bool Enabled, int MaxBatchSize, double MaxDelayMs, int WindowsPerRepairCall);

/// <summary>Counts since the server started.</summary>
/// <param name="Completed">Repairs finished.</param>
/// <param name="Running">Repairs running now.</param>
/// <param name="Queued">Repairs waiting now.</param>
/// <param name="ModelCalls">Model calls.</param>
/// <param name="Windows">Windows or tiles inpainted.</param>
/// <param name="RepairCalls">Calls the repairs made to the batcher (a repair makes one per pass: about two for a freeform model), not HTTP requests.</param>
/// <param name="MeanBatchSize">Windows per model call.</param>
/// <param name="LargestBatch">Most windows in one call.</param>
/// <param name="MostRepairCalls">Most repair calls in one model call.</param>
/// <param name="LastError">The last model or internal error.</param>
internal sealed record StatisticsDescription(long Completed, int Running, int Queued, long ModelCalls, long Windows, long RepairCalls, double MeanBatchSize,
    int LargestBatch, int MostRepairCalls, string? LastError);
