namespace Inpaint.Trainer.Training;

/// <summary>Losses of one training step.</summary>
/// <param name="Generator">0.999 * pixel + 0.001 * adversarial (with the configured weights).</param>
/// <param name="Adversarial">MSE(D(patch), 1).</param>
/// <param name="Pixel">L1(patch, truth), rim-weighted under overlap.</param>
/// <param name="Discriminator">(MSE(D(truth), 1) + MSE(D(patch), 0)) / 2.</param>
public sealed record StepLosses(double Generator, double Adversarial, double Pixel, double Discriminator)
{
    /// <summary>The freeform family's L1 on image gradients (0 when off).</summary>
    public double Gradient { get; init; }

    /// <summary>
    /// The terms of <see cref="Generator"/> by name, for a family whose loss is not the generator-and-discriminator kind
    /// (the detector's cross-entropy and Dice); null for the inpainters.
    /// </summary>
    public IReadOnlyList<(string Name, double Value)>? Terms { get; init; }
}

/// <summary>Progress after a step, for the live display and metrics.jsonl.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps the run will make.</param>
/// <param name="Epoch">Fractional epoch.</param>
/// <param name="Losses">This step's losses.</param>
/// <param name="ImagesPerSecond">Throughput over the last reporting window.</param>
/// <param name="DataWaitShare">Share of the window's wall time spent waiting for batches.</param>
/// <param name="EtaSeconds">Estimated seconds to the end.</param>
/// <param name="WorkingSetMiB">Process working set.</param>
public sealed record StepReport(long Step, long TotalSteps, double Epoch, StepLosses Losses, double ImagesPerSecond,
    double DataWaitShare, double EtaSeconds, double WorkingSetMiB);

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>All steps done.</summary>
    Completed,

    /// <summary>Stopped by Ctrl-C or SIGTERM after writing a checkpoint.</summary>
    Interrupted,
}
