using System.Diagnostics.Metrics;
using SixLabors.ImageSharp;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// The service's instruments on the meter <see cref="MeterName"/> (created through <see cref="IMeterFactory"/>, so
/// each host, and each test host, has its own): repairs by outcome, their pixels and latency, and the model calls'
/// batch sizes. ASP.NET Core's own HTTP metrics come on top.
/// </summary>
public sealed class InpaintingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Inpaint";

    private readonly Meter meter;
    private readonly Counter<long> repairs;
    private readonly Histogram<long> pixels;
    private readonly Histogram<double> duration;
    private readonly Counter<long> detections;
    private readonly Histogram<double> detectionDuration;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<int> batchRequests;
    private readonly Histogram<double> batchDuration;
    private Func<InpaintingStatus>? status;

    /// <summary>Creates the instruments.</summary>
    public InpaintingMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        repairs = meter.CreateCounter<long>("inpaint.repairs", "{repair}",
            "Repair requests by outcome: ok, rejected (queue full), timeout, cancelled (caller gave up), failed (model or internal error)");
        pixels = meter.CreateHistogram<long>("inpaint.repair.pixels", "{pixel}", "Pixels (width x height) of each photo repaired");
        duration = Histogram<double>("inpaint.repair.duration", "s", "Time from submission to result, queue included", [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
        detections = meter.CreateCounter<long>("inpaint.detections", "{detection}", "Damage detection requests by outcome, as for repairs");
        detectionDuration = Histogram<double>("inpaint.detection.duration", "s", "Time from submission to the detected damage, queue included", [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
        batchSize = Histogram<int>("inpaint.batch.size", "{window}", "Windows or tiles per model call", [1, 2, 4, 8, 16, 32, 64, 128, 256]);
        batchRequests = Histogram<int>("inpaint.batch.requests", "{call}", "Repair calls served by one model call (above 1: requests shared it)", [1, 2, 4, 8, 16, 32, 64]);
        batchDuration = meter.CreateHistogram<double>("inpaint.batch.duration", "s", "Time of one model call");
        meter.CreateObservableUpDownCounter("inpaint.queue.length", () => status?.Invoke().Queued ?? 0, "{repair}", "Repairs waiting for a repair thread");
        meter.CreateObservableUpDownCounter("inpaint.repairs.running", () => status?.Invoke().Running ?? 0, "{repair}", "Repairs running");
    }

    /// <summary>Counts one request's outcome with its photo's size and latency.</summary>
    public void RecordRepair(string outcome, Image photo, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        repairs.Add(1, tag);
        if (outcome != "ok") return;
        pixels.Record((long)photo.Width * photo.Height);
        duration.Record(elapsed.TotalSeconds);
    }

    /// <summary>Counts one damage detection's outcome with its latency.</summary>
    public void RecordDetection(string outcome, Image photo, TimeSpan elapsed)
    {
        detections.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "ok") detectionDuration.Record(elapsed.TotalSeconds);
    }

    /// <summary>Records one model call.</summary>
    public void RecordBatch(BatchRun run)
    {
        var tag = new KeyValuePair<string, object?>("outcome", run.Error is null ? "ok" : "failed");
        batchSize.Record(run.Windows, tag);
        batchRequests.Record(run.Requests, tag);
        batchDuration.Record(run.Duration.TotalSeconds, tag);
    }

    internal void ObserveQueue(Func<InpaintingStatus> source) => status = source;

    /// <summary>A histogram with bucket boundaries suited to it (.NET 9 and later; .NET 8's meter takes no advice and uses the exporter's).</summary>
    private Histogram<T> Histogram<T>(string name, string unit, string description, T[] buckets) where T : struct
    {
#if NET9_0_OR_GREATER
        return meter.CreateHistogram(name, unit, description, tags: null, advice: new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });
#else
        _ = buckets;
        return meter.CreateHistogram<T>(name, unit, description);
#endif
    }
}
