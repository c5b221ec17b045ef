using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Masks;
using Inpaint.Contract;
using Inpaint.Models;
using Inpaint.Trainer.Training;
using TorchSharp;

namespace Inpaint.Trainer.Cli;

/// <summary><c>inpaint-train train</c>: a new run, or <c>--resume RUN_DIR</c>.</summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions RunJson = new() { WriteIndented = true };

    public static Command Build(TextWriter stdout, TextWriter stderr, CancellationToken externalCancellation)
    {
        var d = new TrainOptions();
        var data = new Option<string?>("--data") { Description = "Folder of training photos, searched recursively (PNG, JPEG, BMP, WebP)" };
        var outDir = new Option<string?>("--out", "-o") { Description = "Run folder for checkpoints, samples, metrics.jsonl and TensorBoard logs" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its latest checkpoint" };
        var arch = new Option<string>("--arch") { Description = $"Generator architecture: {string.Join(", ", Architectures.Names)}, or a model spec JSON file", DefaultValueFactory = _ => d.Architecture };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training photos", DefaultValueFactory = _ => d.Epochs };
        var maxSteps = new Option<long>("--max-steps") { Description = "Stop after this many steps in all (0: all epochs)", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch-size", "-b") { Description = "Images per step", DefaultValueFactory = _ => d.BatchSize };
        var lrG = new Option<double>("--lr-g") { Description = "Generator learning rate", DefaultValueFactory = _ => d.LearningRateG };
        var lrD = new Option<double>("--lr-d") { Description = "Discriminator learning rate", DefaultValueFactory = _ => d.LearningRateD };
        var beta1 = new Option<double>("--beta1") { Description = "Adam beta1", DefaultValueFactory = _ => d.Beta1 };
        var beta2 = new Option<double>("--beta2") { Description = "Adam beta2", DefaultValueFactory = _ => d.Beta2 };
        var pixelWeight = new Option<double>("--pixel-weight") { Description = "Weight of the L1 loss", DefaultValueFactory = _ => d.PixelWeight };
        var advWeight = new Option<double>("--adv-weight") { Description = "Weight of the adversarial loss (default: 0.001 for the context encoder, 0 for the free-form family)", DefaultValueFactory = _ => d.AdversarialWeight };
        var sampleInterval = new Option<int>("--sample-interval") { Description = "Write a sample grid every N steps (0: never)", DefaultValueFactory = _ => d.SampleInterval };
        var valInterval = new Option<int>("--val-interval") { Description = "Validate every N steps (0: every epoch)", DefaultValueFactory = _ => d.ValidationInterval };
        var ckptInterval = new Option<int>("--checkpoint-interval") { Description = "Checkpoint every N steps", DefaultValueFactory = _ => d.CheckpointInterval };
        var keepLast = new Option<int>("--keep-last") { Description = "Step checkpoints to keep", DefaultValueFactory = _ => d.KeepLast };
        var seed = new Option<int>("--seed") { Description = "Seed of the initialisation and of the data order, crops and holes", DefaultValueFactory = _ => d.Seed };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: all cores)", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => d.Device };
        var workers = new Option<int>("--workers") { Description = "Background data threads", DefaultValueFactory = _ => d.Workers };
        var minScale = new Option<int>("--min-scale") { Description = "Smallest shorter side before cropping (0: image size)", DefaultValueFactory = _ => 0 };
        var maxScale = new Option<int>("--max-scale") { Description = "Largest shorter side before cropping (0: 3x image size)", DefaultValueFactory = _ => 0 };
        var noFlip = new Option<bool>("--no-flip") { Description = "Do not mirror crops" };
        var mask = new Option<MaskMode>("--mask") { Description = "Context encoder: training holes, square (random position, the article), center, or mixed", DefaultValueFactory = _ => d.Mask };
        var fill = new Option<string>("--fill") { Description = "Hole fill: white (the article) or mean (the photos' mean colour, as Pathak)", DefaultValueFactory = _ => d.Fill };
        fill.AcceptOnlyFromAmong("white", "mean");
        var overlap = new Option<int>("--overlap") { Description = "Pathak's overlap in pixels (0: off)", DefaultValueFactory = _ => d.Overlap };
        var overlapWeight = new Option<double>("--overlap-weight") { Description = "Loss weight of the overlap rim", DefaultValueFactory = _ => d.OverlapWeight };
        var valFraction = new Option<double>("--val-fraction") { Description = "Share of photos held out", DefaultValueFactory = _ => d.ValidationFraction };
        var valLast = new Option<int>("--val-last") { Description = "Hold out the last N photos instead (the article's split)", DefaultValueFactory = _ => 0 };
        var logInterval = new Option<int>("--log-interval") { Description = "metrics.jsonl rows (and log lines when not on a terminal) every N steps", DefaultValueFactory = _ => d.LogInterval };
        var valData = new Option<string?>("--val-data") { Description = "A separate folder of validation photos (instead of holding out --val-fraction of --data)" };
        var weighting = new Option<PhotoWeighting>("--weighting") { Description = "How photos are drawn: uniform (each once per epoch) or sqrtgroup (weight 1/sqrt(n) in a first-level folder of n photos)", DefaultValueFactory = _ => d.Weighting };
        var maskMix = new Option<string>("--mask-mix") { Description = "Free-form family: training masks, kind=weight,... (center, square, box, freeform, scratch, text; combine=P draws a second kind)", DefaultValueFactory = _ => d.MaskMix };
        var gradientWeight = new Option<double>("--gradient-weight") { Description = "Free-form family: weight of an L1 loss on image gradients around the holes (0: off)", DefaultValueFactory = _ => d.GradientWeight };
        var gradientClip = new Option<double>("--gradient-clip") { Description = "Free-form family: clip the generator's gradient norm to this before each step (0: off)", DefaultValueFactory = _ => d.GradientClip };
        var schedule = new Option<string>("--schedule") { Description = "Free-form family: learning rate constant, or cosine (down to 5% at the last step)", DefaultValueFactory = _ => d.Schedule };
        schedule.AcceptOnlyFromAmong("constant", "cosine");

        var command = new Command("train", "Trains a context-encoder GAN on a folder of photos")
        {
            data, outDir, resume, arch, epochs, maxSteps, batch, lrG, lrD, beta1, beta2, pixelWeight, advWeight, sampleInterval, valInterval,
            ckptInterval, keepLast, seed, threads, device, workers, minScale, maxScale, noFlip, mask, fill, overlap, overlapWeight,
            valFraction, valLast, logInterval, valData, weighting, maskMix, gradientWeight, schedule, gradientClip,
        };

        command.SetAction(p =>
        {
            bool Given(Option o) => p.GetResult(o) is { Implicit: false };
            TrainOptions options;
            string? resumeDir = p.GetValue(resume);
            if (resumeDir is not null)
            {
                options = LoadRunOptions(resumeDir);
                // Settings that define the model or the data cannot change on resume; the schedule and the machine can.
                foreach (var (option, current) in new (Option, object)[]
                         { (arch, options.Architecture), (data, options.DataDir), (seed, options.Seed), (batch, options.BatchSize), (mask, options.Mask),
                           (fill, options.Fill), (overlap, options.Overlap), (maskMix, options.MaskMix), (weighting, options.Weighting),
                           (valData, options.ValidationDir ?? ""), (schedule, options.Schedule) })
                    if (Given(option) && !Equals(p.GetResult(option)!.GetValueOrDefault<object>()?.ToString(), current.ToString()))
                        throw new UserError(
                            $"{option.Name} {p.GetResult(option)!.GetValueOrDefault<object>()} does not match the run in '{resumeDir}', which was started with {current}");
                options = options with
                {
                    Epochs = Given(epochs) ? p.GetValue(epochs) : options.Epochs,
                    MaxSteps = Given(maxSteps) ? p.GetValue(maxSteps) : options.MaxSteps,
                    Threads = Given(threads) ? p.GetValue(threads) : options.Threads,
                    Workers = Given(workers) ? p.GetValue(workers) : options.Workers,
                    Device = Given(device) ? p.GetValue(device)! : options.Device,
                    LogInterval = Given(logInterval) ? p.GetValue(logInterval) : options.LogInterval,
                    SampleInterval = Given(sampleInterval) ? p.GetValue(sampleInterval) : options.SampleInterval,
                    ValidationInterval = Given(valInterval) ? p.GetValue(valInterval) : options.ValidationInterval,
                    CheckpointInterval = Given(ckptInterval) ? p.GetValue(ckptInterval) : options.CheckpointInterval,
                    KeepLast = Given(keepLast) ? p.GetValue(keepLast) : options.KeepLast,
                    OutDir = Path.GetFullPath(resumeDir),
                };
            }
            else
            {
                string dataDir = p.GetValue(data) ?? throw new UserError("--data is required (or --resume RUN_DIR)");
                string run = p.GetValue(outDir) ?? throw new UserError("--out is required (or --resume RUN_DIR)");
                bool freeform = Architectures.Resolve(p.GetValue(arch)!, p.GetValue(overlap)).Family == ModelFamily.Freeform;
                options = new TrainOptions
                {
                    DataDir = Path.GetFullPath(dataDir), OutDir = Path.GetFullPath(run), Architecture = p.GetValue(arch)!, Epochs = p.GetValue(epochs),
                    MaxSteps = p.GetValue(maxSteps), BatchSize = p.GetValue(batch), LearningRateG = p.GetValue(lrG), LearningRateD = p.GetValue(lrD),
                    Beta1 = p.GetValue(beta1), Beta2 = p.GetValue(beta2), PixelWeight = p.GetValue(pixelWeight),
                    AdversarialWeight = freeform && !Given(advWeight) ? 0 : p.GetValue(advWeight),
                    SampleInterval = p.GetValue(sampleInterval), ValidationInterval = p.GetValue(valInterval), CheckpointInterval = p.GetValue(ckptInterval),
                    KeepLast = p.GetValue(keepLast), Seed = p.GetValue(seed), Threads = p.GetValue(threads), Device = p.GetValue(device)!,
                    Workers = p.GetValue(workers), MinScale = p.GetValue(minScale), MaxScale = p.GetValue(maxScale), Flip = !p.GetValue(noFlip),
                    Mask = p.GetValue(mask), Fill = p.GetValue(fill)!, Overlap = p.GetValue(overlap), OverlapWeight = p.GetValue(overlapWeight),
                    ValidationFraction = p.GetValue(valFraction), ValidationLast = p.GetValue(valLast), LogInterval = p.GetValue(logInterval),
                    ValidationDir = p.GetValue(valData) is { } v ? Path.GetFullPath(v) : null, Weighting = p.GetValue(weighting),
                    MaskMix = p.GetValue(maskMix)!, GradientWeight = p.GetValue(gradientWeight), Schedule = p.GetValue(schedule)!,
                    GradientClip = p.GetValue(gradientClip),
                };
                var existing = new RunFolder(options.OutDir);
                if (existing.Latest() is not null)
                    throw new UserError($"'{options.OutDir}' already holds a run; continue it with --resume {options.OutDir} or choose another --out");
            }
            return Execute(options, resumeDir is not null, stdout, stderr, externalCancellation);
        });
        return command;
    }

    private static TrainOptions LoadRunOptions(string runDir)
    {
        var run = new RunFolder(runDir);
        if (!Directory.Exists(run.Root)) throw new UserError($"resume folder '{runDir}' does not exist");
        if (!File.Exists(run.OptionsPath)) throw new UserError($"'{runDir}' is not a training run folder (no run.json)");
        try
        {
            return JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(run.OptionsPath), RunJson)
                   ?? throw new UserError($"'{run.OptionsPath}' is empty");
        }
        catch (JsonException e)
        {
            throw new UserError($"'{run.OptionsPath}' is damaged: {e.Message}");
        }
    }

    private static int Execute(TrainOptions options, bool resuming, TextWriter stdout, TextWriter stderr, CancellationToken external)
    {
        Validate(options);
        var progress = new ConsoleProgress(stdout, interactive: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        void Warn(string message) => progress.Message($"warning: {message}");

        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        CenterTrainer.ResolveDevice(options.Device); // fail fast, before scanning photos

        var decoder = new PhotoFile();
        ModelSpec spec = Architectures.Resolve(options.Architecture, options.Overlap);
        DataSplit split;
        if (options.ValidationDir is { } valDir)
        {
            DataSplit train = ImageFolder.Scan(options.DataDir, decoder, spec.ImageSize, 0, 0, Warn);
            DataSplit held = ImageFolder.Scan(valDir, decoder, spec.ImageSize, 0, 0, Warn);
            split = new DataSplit(train.Train, held.Train, train.Skipped.Concat(held.Skipped).ToList());
        }
        else
        {
            split = ImageFolder.Scan(options.DataDir, decoder, spec.ImageSize, options.ValidationFraction, options.ValidationLast, Warn);
        }
        progress.Message($"data: {split.Train.Count} training and {split.Validation.Count} validation photos from {options.DataDir}" +
                         (split.Skipped.Count > 0 ? $" ({split.Skipped.Count} files skipped)" : ""));
        if (options.Fill == "mean") spec = spec with { Hole = spec.Hole with { Fill = DatasetMean.Compute(split.Train, decoder) } };

        var run = new RunFolder(options.OutDir);
        string? latest = null;
        if (resuming)
        {
            latest = run.Latest() ?? throw new UserError($"'{options.OutDir}' holds no complete checkpoint to resume from");
            var (savedSpec, _) = GeneratorCheckpoint.ReadSpec(Path.Combine(latest, GeneratorCheckpoint.FileName));
            if (savedSpec.Architecture != spec.Architecture || savedSpec.ToJson() != spec.ToJson())
                throw new UserError($"the checkpoint in '{latest}' is a '{savedSpec.Architecture}' model, but this run is '{spec.Architecture}'");
            spec = savedSpec;
        }
        run.Create();
        AtomicFile.WriteAllText(run.OptionsPath, JsonSerializer.Serialize(options, RunJson));

        if (spec.Family == ModelFamily.Freeform)
        {
            using var freeform = new FreeformTrainer(options, spec, split, progress.Message);
            return Train(freeform, options, latest, run, progress, external);
        }
        using var trainer = new CenterTrainer(options, spec, split, progress.Message);
        return Train(trainer, options, latest, run, progress, external);
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

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(external);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            if (!cancel.IsCancellationRequested) progress.Message("stopping after this step and writing a checkpoint...");
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            RunOutcome outcome = trainer.Run(cancel.Token, progress.Report);
            if (outcome == RunOutcome.Interrupted) return ExitCodes.Interrupted;
            progress.Message($"done: {trainer.CompletedSteps} steps; checkpoints in {run.CheckpointsDir}" +
                             (trainer.LastSummary is { Images: > 0 } v ? $"; last validation: {v.Text}" : ""));
            return ExitCodes.Ok;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
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
