using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Inpaint.Models;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Training;
using TorchSharp;

namespace Inpaint.Trainer.Cli;

/// <summary><c>inpaint-train train</c>: a new run, or <c>--resume RUN_DIR</c>.</summary>
internal static class TrainCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken externalCancellation)
    {
        var options = new TrainOptionSet();
        var command = new Command("train", "Trains an inpainting network (the center or the freeform family) or a damage detector on a folder of photos");
        options.AddTo(command);
        command.SetAction(p => Execute(options.Read(p), options.ResumeFolder(p) is not null, stdout, stderr, externalCancellation));
        return command;
    }

    private static int Execute(TrainOptions options, bool resuming, TextWriter stdout, TextWriter stderr, CancellationToken external)
    {
        Validate(options);
        var progress = new ConsoleProgress(stdout, interactive: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        TrainingDevice.Resolve(options.Device); // fail fast, before scanning photos

        var files = new PhotoFile();
        ModelSpec spec = Architectures.Resolve(options.Architecture, options.Overlap);
        DataSplit split = Photos(options, files, spec.ImageSize, message => progress.Message($"warning: {message}"));
        progress.Message($"data: {split.Train.Count} training and {split.Validation.Count} validation photos from {options.DataDir}" +
                         (split.Skipped.Count > 0 ? $" ({split.Skipped.Count} files skipped)" : ""));
        if (options.Fill == "mean") spec = spec with { Hole = spec.Hole with { Fill = DatasetMean.Compute(split.Train, files) } };

        var run = new RunFolder(options.OutDir);
        string? latest = resuming ? LatestCheckpoint(run, ref spec) : null;
        run.Create();
        AtomicFile.WriteAllText(run.OptionsPath, JsonSerializer.Serialize(options, TrainOptionSet.RunJson));

        if (spec.Family == ModelFamily.Detector)
        {
            using var detector = new DetectorTrainer(options, spec, split, progress.Message);
            return Train(detector, options, latest, run, progress, external);
        }
        if (spec.Family == ModelFamily.Freeform)
        {
            using var freeform = new FreeformTrainer(options, spec, split, progress.Message);
            return Train(freeform, options, latest, run, progress, external);
        }
        using var trainer = new CenterTrainer(options, spec, split, progress.Message);
        return Train(trainer, options, latest, run, progress, external);
    }

    /// <summary>The training and validation photos: a held-out share of --data, or the whole --val-data folder.</summary>
    private static DataSplit Photos(TrainOptions options, PhotoFile files, int minSide, Action<string> warn)
    {
        if (options.ValidationDir is not { } validation)
            return ImageFolder.Scan(options.DataDir, files, minSide, options.ValidationFraction, options.ValidationLast, warn);
        DataSplit train = ImageFolder.Scan(options.DataDir, files, minSide, 0, 0, warn);
        DataSplit held = ImageFolder.Scan(validation, files, minSide, 0, 0, warn);
        return new DataSplit(train.Train, held.Train, train.Skipped.Concat(held.Skipped).ToList());
    }

    /// <summary>The newest complete checkpoint of a resumed run, whose spec must be the run's (and is used from then on).</summary>
    private static string LatestCheckpoint(RunFolder run, ref ModelSpec spec)
    {
        string latest = run.Latest() ?? throw new UserError($"'{run.Root}' holds no complete checkpoint to resume from");
        var (saved, _) = GeneratorCheckpoint.ReadSpec(Path.Combine(latest, GeneratorCheckpoint.FileName));
        if (saved.Architecture != spec.Architecture || saved.ToJson() != spec.ToJson())
            throw new UserError($"the checkpoint in '{latest}' is a '{saved.Architecture}' model, but this run is '{spec.Architecture}'");
        spec = saved;
        return latest;
    }

    private static int Train<TBatch>(TrainerBase<TBatch> trainer, TrainOptions options, string? latest, RunFolder run, ConsoleProgress progress,
        CancellationToken external) where TBatch : class
    {
        ModelSpec spec = trainer.Spec;
        if (latest is not null)
        {
            trainer.Restore(latest);
            trainer.TrimMetricsAfterRestore();
            progress.Message($"resumed from {latest} at step {trainer.CompletedSteps}");
        }
        progress.Message($"model: {spec.Architecture}, {spec.ParameterCount:N0} generator parameters; {trainer.TotalSteps} steps of batch {options.BatchSize} " +
                         $"on {options.Device} with {torch.get_num_threads()} threads; run folder {options.OutDir}");

        using var stop = new StopRequest(external, () => progress.Message("stopping after this step and writing a checkpoint..."));
        RunOutcome outcome = trainer.Run(stop.Token, progress.Report);
        if (outcome == RunOutcome.Interrupted) return ExitCodes.Interrupted;
        progress.Message($"done: {trainer.CompletedSteps} steps; checkpoints in {run.CheckpointsDir}" +
                         (trainer.LastSummary is { Images: > 0 } v ? $"; last validation: {v.Text}" : ""));
        return ExitCodes.Ok;
    }

    /// <summary>Ctrl-C, SIGTERM or the caller's token, as one token: training stops after the step and checkpoints.</summary>
    private sealed class StopRequest : IDisposable
    {
        private readonly CancellationTokenSource cancel;
        private readonly ConsoleCancelEventHandler onCtrlC;
        private readonly PosixSignalRegistration onTerm;

        public StopRequest(CancellationToken external, Action announce)
        {
            cancel = CancellationTokenSource.CreateLinkedTokenSource(external);
            onCtrlC = (_, e) =>
            {
                e.Cancel = true;
                if (!cancel.IsCancellationRequested) announce();
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCtrlC;
            onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                cancel.Cancel();
            });
        }

        public CancellationToken Token => cancel.Token;

        public void Dispose()
        {
            Console.CancelKeyPress -= onCtrlC;
            onTerm.Dispose();
            cancel.Dispose();
        }
    }

    private static void Validate(TrainOptions o)
    {
        if (o.BatchSize < 1) throw new UserError("--batch-size must be at least 1");
        if (o.Epochs < 1 && o.MaxSteps <= 0) throw new UserError("--epochs must be at least 1");
        if (o.MaxSteps < 0) throw new UserError("--max-steps cannot be negative");
        if (o.CheckpointInterval < 1) throw new UserError("--checkpoint-interval must be at least 1");
        if (o.KeepLast < 1) throw new UserError("--keep-last must be at least 1");
        if (o.Workers < 1) throw new UserError("--workers must be at least 1");
        if (o.Threads < 0) throw new UserError("--threads cannot be negative");
        if (o.LearningRateG <= 0 || o.LearningRateD <= 0) throw new UserError("learning rates must be positive");
        if (o.ValidationFraction is < 0 or >= 1) throw new UserError("--val-fraction must be in [0, 1)");
        if (o.MinScale < 0 || o.MaxScale < 0 || (o.MaxScale > 0 && o.MinScale > o.MaxScale)) throw new UserError("--min-scale must not exceed --max-scale");
        if (o.GradientWeight < 0 || o.AdversarialWeight < 0 || o.PixelWeight < 0) throw new UserError("loss weights cannot be negative");
        if (o.GradientClip < 0) throw new UserError("--gradient-clip cannot be negative");
        if (o.ValidationDir is { } v && !Directory.Exists(v)) throw new UserError($"--val-data folder '{v}' does not exist");
        try
        {
            Inpaint.Masks.MaskMix.Parse(o.MaskMix);
        }
        catch (FormatException e)
        {
            throw new UserError($"--mask-mix: {e.Message}");
        }
    }
}
