namespace Inpaint.LoadTest;

/// <summary>Measured request times, with nearest-rank percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> milliseconds = [];

    public int Count
    {
        get { lock (milliseconds) return milliseconds.Count; }
    }

    public void Add(TimeSpan elapsed)
    {
        lock (milliseconds) milliseconds.Add(elapsed.TotalMilliseconds);
    }

    public double Percentile(double p)
    {
        lock (milliseconds)
        {
            if (milliseconds.Count == 0) return double.NaN;
            var sorted = milliseconds.Order().ToList();
            int rank = (int)Math.Ceiling(p / 100 * sorted.Count);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
        }
    }
}

/// <summary>One measured step.</summary>
internal sealed record StepResult(string Name, int Callers, bool? Batching, int Requests, double Seconds, Latencies Latencies, double MeanBatchSize,
    long RssStartKiB, long RssEndKiB, int Errors, string ErrorSummary, double CpuSeconds, long RssPeakKiB = 0)
{
    /// <summary>CPU seconds of the server (or the library's process) per answered request.</summary>
    public double CpuPerRequest => Requests == 0 ? double.NaN : CpuSeconds / Requests;

    public double RequestsPerSecond => Requests / Seconds;
}
