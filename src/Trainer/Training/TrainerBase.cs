using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>
/// What every model family's training shares: the loop (batches made ahead, progress, validation, checkpoints,
/// Ctrl-C), atomic checkpoints with the resume state, the best checkpoint by validation, metrics.jsonl,
/// TensorBoard and the training facts. A family supplies its networks, its step and its validation.
/// </summary>
/// <typeparam name="TBatch">What one step consumes.</typeparam>
public abstract class TrainerBase<TBatch> : IDisposable where TBatch : class
{
    private readonly DataSplit split;
    private long step;
    private double bestScore = double.NaN;
    private long bestStep;
    private double trainSecondsBefore;
    private ValidationSummary? lastSummary;

    /// <summary>Sets up the run folder and the device, and seeds torch.</summary>
    protected TrainerBase(TrainOptions options, ModelSpec spec, DataSplit split, Action<string>? log)
    {
        Options = options;
        this.split = split;
        Log = log ?? (_ => { });
        Folder = new RunFolder(options.OutDir);
        Device = TrainingDevice.Resolve(options.Device);
        Spec = spec;
        torch.manual_seed(options.Seed);
    }

    /// <summary>The run's options.</summary>
    public TrainOptions Options { get; }

    /// <summary>Where log lines go.</summary>
    protected Action<string> Log { get; }

    /// <summary>The run folder.</summary>
    protected RunFolder Folder { get; }

    /// <summary>The torch device.</summary>
    protected Device Device { get; }

    /// <summary>The photos.</summary>
    protected DataSplit Split => split;

    /// <summary>The generator's spec.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The generator being trained.</summary>
    public abstract nn.Module GeneratorModule { get; }

    /// <summary>The discriminator, when the run has one.</summary>
    protected abstract nn.Module? DiscriminatorModule { get; }

    /// <summary>The generator's optimiser.</summary>
    protected abstract OptimizerHelper GeneratorOptimizer { get; }

    /// <summary>The discriminator's optimiser, when the run has one.</summary>
    protected abstract OptimizerHelper? DiscriminatorOptimizer { get; }

    /// <summary>Training samples per epoch.</summary>
    public abstract int EpochLength { get; }

    /// <summary>Steps completed.</summary>
    public long CompletedSteps => step;

    /// <summary>The most recent validation, if any.</summary>
    public ValidationSummary? LastSummary => lastSummary;

    /// <summary>Steps the run will make in all.</summary>
    public long TotalSteps
    {
        get
        {
            long byEpochs = (long)Math.Ceiling((double)Options.Epochs * EpochLength / Options.BatchSize);
            return Options.MaxSteps > 0 ? Math.Min(Options.MaxSteps, byEpochs) : byEpochs;
        }
    }

    /// <summary>The learning-rate factor at a step: 1, or a cosine from 1 down to 0.05 at the last step.</summary>
    public double LearningRateFactor(long step)
    {
        if (Options.Schedule != "cosine") return 1;
        double progress = Math.Clamp((double)step / Math.Max(1, TotalSteps), 0, 1);
        return 0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Starts the background batch producer at <paramref name="firstStep"/>.</summary>
    protected abstract BackgroundBatches<TBatch> StartLoader(long firstStep);

    /// <summary>One optimisation step; <paramref name="writeSample"/> asks for a sample grid of this batch.</summary>
    protected abstract StepLosses TrainStep(TBatch batch, bool writeSample);

    /// <summary>The step a batch belongs to.</summary>
    protected abstract long StepOf(TBatch batch);

    /// <summary>Validates the generator (fixed held-out crops).</summary>
    public abstract ValidationSummary ValidateSummary();

    /// <summary>Family-specific training facts (mask, fill, losses...).</summary>
    protected abstract void AddFacts(JsonObject facts);

    /// <summary>Marks step <paramref name="completed"/> as done (called by a family's step).</summary>
    protected void Completed(long completed) => step = completed;

    /// <summary>Writes a sample grid atomically as <c>samples/step-N.png</c>.</summary>
    protected void SaveSample(SixLabors.ImageSharp.Image image)
    {
        string path = Path.Combine(Folder.SamplesDir, $"step-{step:D8}.png");
        AtomicFile.Write(path, s => image.Save(s, new SixLabors.ImageSharp.Formats.Png.PngEncoder()));
    }

    /// <summary>
    /// Trains until the last step or until <paramref name="cancellation"/> fires (then a checkpoint is written).
    /// </summary>
    /// <exception cref="UserError">A checkpoint could not be written (e.g. the disk is full).</exception>
    public RunOutcome Run(CancellationToken cancellation, Action<StepReport>? progress = null)
    {
        Folder.Create();
        long total = TotalSteps;
        using var log = new RunLog(Folder);
        using BackgroundBatches<TBatch> loader = StartLoader(step);
        var session = Stopwatch.StartNew();
        var speed = new StepRate(loader);
        int reportEvery = Math.Max(1, Options.LogInterval);
        int validateEvery = Options.ValidationInterval > 0 ? Options.ValidationInterval
            : Math.Max(1, (int)Math.Ceiling((double)EpochLength / Options.BatchSize));
        long lastSaved = step;
        while (step < total)
        {
            if (!NextBatch(loader, cancellation, out TBatch? batch))
            {
                SaveCheckpoint(session.Elapsed.TotalSeconds);
                Log($"interrupted: checkpoint written at step {step}; continue with --resume {Folder.Root}");
                return RunOutcome.Interrupted;
            }
            StepLosses losses = Train(batch);
            speed.Stepped();
            if (step % reportEvery == 0 || step == total)
            {
                var report = speed.Report(step, total, (double)step * Options.BatchSize / EpochLength, losses, Options.BatchSize);
                log.Step(report);
                progress?.Invoke(report);
            }
            if (step % validateEvery == 0 || step == total) RunValidation(log, session.Elapsed.TotalSeconds);
            if (step % Options.CheckpointInterval == 0 || step == total)
            {
                SaveCheckpoint(session.Elapsed.TotalSeconds);
                lastSaved = step;
            }
        }
        if (lastSaved != step) SaveCheckpoint(session.Elapsed.TotalSeconds);
        return RunOutcome.Completed;
    }

    /// <summary>The next batch, or false when the run is to stop (the caller checkpoints).</summary>
    private static bool NextBatch(BackgroundBatches<TBatch> loader, CancellationToken cancellation, [NotNullWhen(true)] out TBatch? batch)
    {
        batch = null;
        if (cancellation.IsCancellationRequested) return false;
        try
        {
            batch = loader.Next(cancellation);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One step, with a sample grid when one is due; a loss that is not finite stops the run.</summary>
    private StepLosses Train(TBatch batch)
    {
        bool sample = Options.SampleInterval > 0 && (StepOf(batch) + 1) % Options.SampleInterval == 0;
        StepLosses losses = TrainStep(batch, sample);
        if (!double.IsFinite(losses.Generator) || !double.IsFinite(losses.Discriminator))
            throw new InvalidOperationException($"the losses became {losses.Generator}/{losses.Discriminator} at step {step}: training diverged (lower the learning rate?)");
        return losses;
    }

    /// <summary>Restores the state of a checkpoint folder (weights, optimisers, RNG, step, best validation).</summary>
    /// <exception cref="UserError">The checkpoint belongs to another architecture or is damaged.</exception>
    public void Restore(string checkpointDir)
    {
        string modelPath = Path.Combine(checkpointDir, GeneratorCheckpoint.FileName);
        try
        {
            var (saved, _) = GeneratorCheckpoint.ReadSpec(modelPath);
            if (saved.ToJson() != Spec.ToJson())
                throw new UserError(
                    $"the checkpoint in '{checkpointDir}' is a '{saved.Architecture}' model that differs from the '{Spec.Architecture}' spec of this run");
            var (tensors, _) = SafeTensors.Read(modelPath);
            try
            {
                GeneratorCheckpoint.LoadWeights(GeneratorModule, tensors, modelPath);
            }
            finally
            {
                foreach (Tensor t in tensors.Values) t.Dispose();
            }
            using FileStream stream = File.OpenRead(Path.Combine(checkpointDir, TrainerState.FileName));
            var scalars = TrainerState.Read(stream, DiscriminatorModule, GeneratorOptimizer, DiscriminatorOptimizer);
            step = scalars.Step;
            bestScore = scalars.BestPsnr;
            bestStep = scalars.BestStep;
            trainSecondsBefore = scalars.TrainSeconds;
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"cannot resume from '{checkpointDir}': {e.Message}");
        }
    }

    /// <summary>Drops metrics.jsonl lines written after the restored step (they will be recomputed).</summary>
    public void TrimMetricsAfterRestore() => RunLog.TrimAfter(Folder, step);

    /// <summary>The training facts stored in checkpoints and model cards.</summary>
    public string TrainingFactsJson(double sessionSeconds)
    {
        var facts = TrainingFacts.Common(Options, split, step, EpochLength, trainSecondsBefore + sessionSeconds);
        AddFacts(facts);
        TrainingFacts.AddValidation(facts, lastSummary, step, bestScore, bestStep);
        return facts.ToJsonString();
    }

    private void RunValidation(RunLog log, double sessionSeconds)
    {
        var timer = Stopwatch.StartNew();
        ValidationSummary q = ValidateSummary();
        double seconds = timer.Elapsed.TotalSeconds;
        if (q.Images == 0) return;
        lastSummary = q;
        log.Validation(step, q, seconds);
        Log($"validation at step {step}: {q.Text} ({q.Images} crops, {seconds:F1} s)");
        if (double.IsNaN(bestScore) || q.Score > bestScore)
        {
            bestScore = q.Score;
            bestStep = step;
            try
            {
                Directory.CreateDirectory(Folder.BestDir);
                GeneratorCheckpoint.Save(Path.Combine(Folder.BestDir, GeneratorCheckpoint.FileName), GeneratorModule, Spec, TrainingFactsJson(sessionSeconds));
            }
            catch (IOException e)
            {
                throw new UserError($"could not write the best checkpoint in '{Folder.BestDir}' ({e.Message}); the previous one is intact");
            }
        }
    }

    private void SaveCheckpoint(double sessionSeconds)
    {
        string facts = TrainingFactsJson(sessionSeconds);
        var scalars = new TrainerState.Scalars(step, Spec.Architecture, bestScore, bestStep, trainSecondsBefore + sessionSeconds);
        try
        {
            Folder.SaveStep(step, Options.KeepLast, dir =>
            {
                AtomicFile.Write(Path.Combine(dir, GeneratorCheckpoint.FileName), s => GeneratorCheckpoint.Write(s, GeneratorModule, Spec, facts));
                AtomicFile.Write(Path.Combine(dir, TrainerState.FileName),
                    s => TrainerState.Write(s, scalars, DiscriminatorModule, GeneratorOptimizer, DiscriminatorOptimizer));
            });
        }
        catch (IOException e)
        {
            throw new UserError($"could not write the checkpoint for step {step} in '{Folder.CheckpointsDir}' ({e.Message}); the previous checkpoints are intact");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the networks and optimisers.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
