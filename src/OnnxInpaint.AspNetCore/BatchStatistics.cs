namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>What the batcher has done since it started (a snapshot; subtract two to measure an interval).</summary>
/// <param name="ModelCalls">Model calls made.</param>
/// <param name="Windows">Windows or tiles inpainted.</param>
/// <param name="Requests">Calls the repairs made to the batcher (each joins one model call).</param>
/// <param name="LargestBatch">Most windows in one model call.</param>
/// <param name="MostRequests">Most repair calls served by one model call.</param>
/// <param name="Failures">Model calls that failed.</param>
public readonly record struct BatchStatistics(long ModelCalls, long Windows, long Requests, int LargestBatch, int MostRequests, long Failures)
{
    /// <summary>Mean windows per model call (0 before the first).</summary>
    public double MeanBatchSize => ModelCalls == 0 ? 0 : (double)Windows / ModelCalls;

    /// <summary>Mean repair calls served per model call (above 1 when requests share calls).</summary>
    public double MeanRequestsPerCall => ModelCalls == 0 ? 0 : (double)Requests / ModelCalls;

    /// <summary>The counts between <paramref name="earlier"/> and this snapshot (the largest values stay this snapshot's).</summary>
    public BatchStatistics Since(BatchStatistics earlier) =>
        new(ModelCalls - earlier.ModelCalls, Windows - earlier.Windows, Requests - earlier.Requests, LargestBatch, MostRequests, Failures - earlier.Failures);
}

/// <summary>One model call of the batcher, for metrics and logs.</summary>
/// <param name="Windows">Windows or tiles in the call.</param>
/// <param name="Requests">Repair calls it served.</param>
/// <param name="Duration">Time in the model.</param>
/// <param name="Error">The failure, if it failed.</param>
public readonly record struct BatchRun(int Windows, int Requests, TimeSpan Duration, Exception? Error);
