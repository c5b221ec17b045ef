using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Inpaint.Models;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Masks;
using Inpaint.Trainer.Training;

namespace Inpaint.Trainer.Cli;

/// <summary>
/// <c>train</c>'s options and the <see cref="TrainOptions"/> they make: a new run's, or a resumed run's (its run.json,
/// with the settings that may change between sessions taken from the command line and the others checked against it).
/// </summary>
internal sealed class TrainOptionSet
{
    private static readonly TrainOptions Defaults = new();

    /// <summary>How run.json is written and read.</summary>
    public static readonly JsonSerializerOptions RunJson = new() { WriteIndented = true };

    private readonly Option<string?> data = new Option<string?>("--data") { Description = "Folder of training photos, searched recursively (PNG, JPEG, BMP, WebP)" };
    private readonly Option<string?> outDir = new Option<string?>("--out", "-o") { Description = "Run folder for checkpoints, samples, metrics.jsonl and TensorBoard logs" };
    private readonly Option<string?> resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its latest checkpoint" };
    private readonly Option<string> arch = new Option<string>("--arch") { Description = $"Generator architecture: {string.Join(", ", Architectures.Names)}, or a model spec JSON file", DefaultValueFactory = _ => Defaults.Architecture };
    private readonly Option<int> epochs = new Option<int>("--epochs") { Description = "Passes over the training photos", DefaultValueFactory = _ => Defaults.Epochs };
    private readonly Option<long> maxSteps = new Option<long>("--max-steps") { Description = "Stop after this many steps in all (0: all epochs)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> batch = new Option<int>("--batch-size", "-b") { Description = "Images per step", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<double> lrG = new Option<double>("--lr-g") { Description = "Generator learning rate", DefaultValueFactory = _ => Defaults.LearningRateG };
    private readonly Option<double> lrD = new Option<double>("--lr-d") { Description = "Discriminator learning rate", DefaultValueFactory = _ => Defaults.LearningRateD };
    private readonly Option<double> beta1 = new Option<double>("--beta1") { Description = "Adam beta1", DefaultValueFactory = _ => Defaults.Beta1 };
    private readonly Option<double> beta2 = new Option<double>("--beta2") { Description = "Adam beta2", DefaultValueFactory = _ => Defaults.Beta2 };
    private readonly Option<double> pixelWeight = new Option<double>("--pixel-weight") { Description = "Weight of the L1 loss", DefaultValueFactory = _ => Defaults.PixelWeight };
    private readonly Option<double> advWeight = new Option<double>("--adv-weight") { Description = "Weight of the adversarial loss (default: 0.001 for the center family, 0 for the freeform family)", DefaultValueFactory = _ => Defaults.AdversarialWeight };
    private readonly Option<int> sampleInterval = new Option<int>("--sample-interval") { Description = "Write a sample grid every N steps (0: never)", DefaultValueFactory = _ => Defaults.SampleInterval };
    private readonly Option<int> valInterval = new Option<int>("--val-interval") { Description = "Validate every N steps (0: every epoch)", DefaultValueFactory = _ => Defaults.ValidationInterval };
    private readonly Option<int> ckptInterval = new Option<int>("--checkpoint-interval") { Description = "Checkpoint every N steps", DefaultValueFactory = _ => Defaults.CheckpointInterval };
    private readonly Option<int> keepLast = new Option<int>("--keep-last") { Description = "Step checkpoints to keep", DefaultValueFactory = _ => Defaults.KeepLast };
    private readonly Option<int> seed = new Option<int>("--seed") { Description = "Seed of the initialisation and of the data order, crops and holes", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<int> threads = new Option<int>("--threads") { Description = "Torch threads (0: all cores)", DefaultValueFactory = _ => 0 };
    private readonly Option<string> device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => Defaults.Device };
    private readonly Option<int> workers = new Option<int>("--workers") { Description = "Background data threads", DefaultValueFactory = _ => Defaults.Workers };
    private readonly Option<int> minScale = new Option<int>("--min-scale") { Description = "Smallest shorter side before cropping (0: image size)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> maxScale = new Option<int>("--max-scale") { Description = "Largest shorter side before cropping (0: 3x image size)", DefaultValueFactory = _ => 0 };
    private readonly Option<bool> noFlip = new Option<bool>("--no-flip") { Description = "Do not mirror crops" };
    private readonly Option<MaskMode> mask = new Option<MaskMode>("--mask") { Description = "Center family: training holes, square (random position, the article), center, or mixed", DefaultValueFactory = _ => Defaults.Mask };
    private readonly Option<string> fill = new Option<string>("--fill") { Description = "Hole fill: white (the article) or mean (the photos' mean colour, as Pathak)", DefaultValueFactory = _ => Defaults.Fill };
    private readonly Option<int> overlap = new Option<int>("--overlap") { Description = "Pathak's overlap in pixels (0: off)", DefaultValueFactory = _ => Defaults.Overlap };
    private readonly Option<double> overlapWeight = new Option<double>("--overlap-weight") { Description = "Loss weight of the overlap rim", DefaultValueFactory = _ => Defaults.OverlapWeight };
    private readonly Option<double> valFraction = new Option<double>("--val-fraction") { Description = "Share of photos held out", DefaultValueFactory = _ => Defaults.ValidationFraction };
    private readonly Option<int> valLast = new Option<int>("--val-last") { Description = "Hold out the last N photos instead (the article's split)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> logInterval = new Option<int>("--log-interval") { Description = "metrics.jsonl rows (and log lines when not on a terminal) every N steps", DefaultValueFactory = _ => Defaults.LogInterval };
    private readonly Option<string?> valData = new Option<string?>("--val-data") { Description = "A separate folder of validation photos (instead of holding out --val-fraction of --data)" };
    private readonly Option<PhotoWeighting> weighting = new Option<PhotoWeighting>("--weighting") { Description = "How photos are drawn: uniform (each once per epoch) or sqrtgroup (weight 1/sqrt(n) in a first-level folder of n photos)", DefaultValueFactory = _ => Defaults.Weighting };
    private readonly Option<string> maskMix = new Option<string>("--mask-mix") { Description = "Freeform family: training masks, kind=weight,... (center, square, box, strokes, scratch, text; combine=P draws a second kind)", DefaultValueFactory = _ => Defaults.MaskMix };
    private readonly Option<double> gradientWeight = new Option<double>("--gradient-weight") { Description = "Freeform family: weight of an L1 loss on image gradients around the holes (0: off)", DefaultValueFactory = _ => Defaults.GradientWeight };
    private readonly Option<double> gradientClip = new Option<double>("--gradient-clip") { Description = "Freeform family: clip the generator's gradient norm to this before each step (0: off)", DefaultValueFactory = _ => Defaults.GradientClip };
    private readonly Option<string> schedule = new Option<string>("--schedule") { Description = "Freeform family: learning rate constant, or cosine (down to 5% at the last step)", DefaultValueFactory = _ => Defaults.Schedule };

    public TrainOptionSet()
    {
        fill.AcceptOnlyFromAmong("white", "mean");
        schedule.AcceptOnlyFromAmong("constant", "cosine");
    }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Option[] all =
        [
            data, outDir, resume, arch, epochs, maxSteps, batch, lrG, lrD, beta1, beta2, pixelWeight, advWeight, sampleInterval, valInterval,
            ckptInterval, keepLast, seed, threads, device, workers, minScale, maxScale, noFlip, mask, fill, overlap, overlapWeight,
            valFraction, valLast, logInterval, valData, weighting, maskMix, gradientWeight, schedule, gradientClip,
        ];
        foreach (Option option in all)
            command.Options.Add(option);
    }

    /// <summary>The folder <c>--resume</c> names, or null for a new run.</summary>
    public string? ResumeFolder(ParseResult p) => p.GetValue(resume);

    /// <summary>The options of the run the command line asks for.</summary>
    /// <exception cref="UserError">A required option is missing, the output folder already holds a run, or a resume changes a fixed setting.</exception>
    public TrainOptions Read(ParseResult p) => p.GetValue(resume) is { } resumeDir ? Resumed(p, resumeDir) : Started(p);

    /// <summary>A resumed run: settings that define the model or the data cannot change; the schedule and the machine can.</summary>
    private TrainOptions Resumed(ParseResult p, string resumeDir)
    {
        bool Given(Option o) => p.GetResult(o) is { Implicit: false };
        TrainOptions options = LoadRunOptions(resumeDir);
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
        return options;
    }

    /// <summary>A new run.</summary>
    private TrainOptions Started(ParseResult p)
    {
        bool Given(Option o) => p.GetResult(o) is { Implicit: false };
        string dataDir = p.GetValue(data) ?? throw new UserError("--data is required (or --resume RUN_DIR)");
        string run = p.GetValue(outDir) ?? throw new UserError("--out is required (or --resume RUN_DIR)");
        bool freeform = Architectures.Resolve(p.GetValue(arch)!, p.GetValue(overlap)).Family == ModelFamily.Freeform;
        var options = new TrainOptions
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
        return options;
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
}
