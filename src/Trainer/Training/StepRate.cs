using System.Diagnostics;
using Inpaint.Trainer.Data;

namespace Inpaint.Trainer.Training;

/// <summary>Throughput and data-wait share over the steps since the last report.</summary>
internal sealed class StepRate(IBatchSource loader)
{
    private readonly Stopwatch window = Stopwatch.StartNew();
    private double waitAtStart = loader.WaitSeconds;
    private long steps;

    /// <summary>Counts a step.</summary>
    public void Stepped() => steps++;

    /// <summary>The report for <paramref name="step"/>, and a new window.</summary>
    public StepReport Report(long step, long total, double epoch, StepLosses losses, int batchSize)
    {
        double seconds = Math.Max(window.Elapsed.TotalSeconds, 1e-9);
        double speed = steps * batchSize / seconds;
        var report = new StepReport(step, total, epoch, losses, speed, (loader.WaitSeconds - waitAtStart) / seconds,
            (total - step) * batchSize / Math.Max(speed, 1e-9), Environment.WorkingSet / 1048576.0);
        window.Restart();
        waitAtStart = loader.WaitSeconds;
        steps = 0;
        return report;
    }
}
