using System.Diagnostics;
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
    private SummaryWriter? tensorboard;
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
        Device = ResolveDevice(options.Device);
        Spec = spec;
        torch.manual_seed(options.Seed);
    }

    /// <summary>The run's options.</summary>
    protected TrainOptions Options { get; }

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

    /// <summary>Maps <c>cpu</c>/<c>cuda</c> to a device, refusing CUDA where no CUDA libtorch is loaded.</summary>
    /// <exception cref="UserError">Unknown device, or CUDA unavailable.</exception>
    public static Device ResolveDevice(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new UserError(
                        "--device cuda: no CUDA device is usable. This build links TorchSharp-cpu (libtorch 2.10 CPU); " +
                        "on a GPU machine reference a CUDA libtorch package (e.g. libtorch-cuda-12.8-linux-x64) instead, or use --device cpu.");
                return CUDA;
            default:
                throw new UserError($"unknown device '{name}' (use cpu or cuda)");
        }
    }

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
        tensorboard ??= torch.utils.tensorboard.SummaryWriter(Folder.TensorBoardDir);
        using var metrics = new StreamWriter(Folder.MetricsPath, append: true) { AutoFlush = true };
        using BackgroundBatches<TBatch> loader = StartLoader(step);
        long lastSaved = step;
        var session = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        double windowWaitStart = 0;
        long windowSteps = 0;
        int reportEvery = Math.Max(1, Options.LogInterval);
        int validateEvery = Options.ValidationInterval > 0 ? Options.ValidationInterval
            : Math.Max(1, (int)Math.Ceiling((double)EpochLength / Options.BatchSize));

        while (step < total)
        {
            if (cancellation.IsCancellationRequested)
            {
                SaveCheckpoint(session.Elapsed.TotalSeconds);
                Log($"interrupted: checkpoint written at step {step}; continue with --resume {Folder.Root}");
                return RunOutcome.Interrupted;
            }
            TBatch batch;
            try
            {
                batch = loader.Next(cancellation);
            }
            catch (OperationCanceledException)
            {
                continue; // the loop head writes the checkpoint
            }
            bool sample = Options.SampleInterval > 0 && (StepOf(batch) + 1) % Options.SampleInterval == 0;
            StepLosses losses = TrainStep(batch, sample);
            windowSteps++;
            if (!double.IsFinite(losses.Generator) || !double.IsFinite(losses.Discriminator))
                throw new InvalidOperationException($"the losses became {losses.Generator}/{losses.Discriminator} at step {step}: training diverged (lower the learning rate?)");

            if (step % reportEvery == 0 || step == total)
            {
                double seconds = window.Elapsed.TotalSeconds;
                double wait = loader.WaitSeconds - windowWaitStart;
                double speed = windowSteps * Options.BatchSize / Math.Max(seconds, 1e-9);
                var report = new StepReport(step, total, (double)step * Options.BatchSize / EpochLength, losses, speed,
                    wait / Math.Max(seconds, 1e-9), (total - step) * Options.BatchSize / Math.Max(speed, 1e-9),
                    Environment.WorkingSet / 1048576.0);
                WriteStepMetrics(metrics, report);
                progress?.Invoke(report);
                window.Restart();
                windowWaitStart = loader.WaitSeconds;
                windowSteps = 0;
            }
            if (step % validateEvery == 0 || step == total) RunValidation(metrics, session.Elapsed.TotalSeconds);
            if (step % Options.CheckpointInterval == 0 || step == total)
            {
                SaveCheckpoint(session.Elapsed.TotalSeconds);
                lastSaved = step;
            }
        }
        if (lastSaved != step) SaveCheckpoint(session.Elapsed.TotalSeconds);
        return RunOutcome.Completed;
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
    public void TrimMetricsAfterRestore()
    {
        if (!File.Exists(Folder.MetricsPath)) return;
        var kept = File.ReadAllLines(Folder.MetricsPath).Where(line =>
        {
            try
            {
                return JsonNode.Parse(line)?["step"]?.GetValue<long>() is long s && s <= step;
            }
            catch (JsonException)
            {
                return false; // a line cut short by a crash
            }
        }).ToList();
        AtomicFile.WriteAllText(Folder.MetricsPath, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    /// <summary>The training facts stored in checkpoints and model cards.</summary>
    public string TrainingFactsJson(double sessionSeconds)
    {
        var facts = new JsonObject
        {
            ["trainer"] = "inpaint-train",
            ["data"] = new JsonObject
            {
                // The folder's own name only: a machine's absolute paths do not belong in a shipped model.
                ["folder"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Options.DataDir))),
                ["train_images"] = split.Train.Count,
                ["validation_images"] = split.Validation.Count,
                ["validation"] = new JsonArray(split.Validation.Select(v => (JsonNode)v.RelativePath).ToArray()),
                ["skipped_files"] = split.Skipped.Count,
            },
            ["steps"] = step,
            ["epochs"] = Math.Round((double)step * Options.BatchSize / EpochLength, 3),
            ["batch_size"] = Options.BatchSize,
            ["seed"] = Options.Seed,
            ["device"] = Options.Device,
            ["train_seconds"] = Math.Round(trainSecondsBefore + sessionSeconds, 1),
            ["saved_utc"] = DateTime.UtcNow.ToString("O"),
        };
        AddFacts(facts);
        if (lastSummary is { Images: > 0 } v)
        {
            var validation = v.Facts.DeepClone().AsObject();
            validation["images"] = v.Images;
            validation["step"] = step;
            facts["validation"] = validation;
        }
        if (!double.IsNaN(bestScore)) facts["best_validation"] = new JsonObject { ["score"] = Math.Round(bestScore, 4), ["step"] = bestStep };
        return facts.ToJsonString();
    }

    private void RunValidation(StreamWriter metrics, double sessionSeconds)
    {
        var timer = Stopwatch.StartNew();
        ValidationSummary q = ValidateSummary();
        double seconds = timer.Elapsed.TotalSeconds;
        if (q.Images == 0) return;
        lastSummary = q;
        var row = new JsonObject { ["kind"] = "validation", ["step"] = step };
        foreach (var (name, value) in q.Metrics) row[name] = value;
        row["images"] = q.Images;
        row["seconds"] = Math.Round(seconds, 3);
        metrics.WriteLine(row.ToJsonString());
        int s = (int)Math.Min(step, int.MaxValue);
        foreach (var (name, value) in q.Metrics) tensorboard?.add_scalar($"validation/{name}", (float)value, s);
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

    private void WriteStepMetrics(StreamWriter metrics, StepReport r)
    {
        var row = new JsonObject
        {
            ["step"] = r.Step, ["epoch"] = Math.Round(r.Epoch, 4),
            ["g_loss"] = r.Losses.Generator, ["g_adv"] = r.Losses.Adversarial, ["g_pixel"] = r.Losses.Pixel, ["d_loss"] = r.Losses.Discriminator,
            ["imgs_per_s"] = Math.Round(r.ImagesPerSecond, 3), ["data_wait"] = Math.Round(r.DataWaitShare, 4),
            ["working_set_mib"] = Math.Round(r.WorkingSetMiB, 1),
        };
        metrics.WriteLine(row.ToJsonString());
        int s = (int)Math.Min(r.Step, int.MaxValue);
        tensorboard?.add_scalar("loss/generator", (float)r.Losses.Generator, s);
        tensorboard?.add_scalar("loss/adversarial", (float)r.Losses.Adversarial, s);
        tensorboard?.add_scalar("loss/pixel", (float)r.Losses.Pixel, s);
        tensorboard?.add_scalar("loss/discriminator", (float)r.Losses.Discriminator, s);
        tensorboard?.add_scalar("speed/imgs_per_s", (float)r.ImagesPerSecond, s);
        tensorboard?.add_scalar("speed/data_wait_share", (float)r.DataWaitShare, s);
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
        if (disposing) tensorboard = null; // SummaryWriter flushes per event and holds no native handle
    }
}
