using System.Text.Json.Nodes;
using Inpaint.Masks;
using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Training of the damage detector: crops of the photos with synthetic damage drawn on them (<see cref="DamageRenderer"/>;
/// a share left clean), and per step an Adam update on binary cross-entropy over every pixel plus a soft Dice loss per
/// crop. Damage covers a few per cent of a crop: cross-entropy alone would learn to say "clean" everywhere, and Dice,
/// which scores each crop's damage as a whole, keeps a thin scratch worth as much as a big stain. Validation measures
/// F1 per damage kind and the share of a clean crop flagged (<see cref="DetectorValidation"/>).
/// </summary>
public sealed class DetectorTrainer : TrainerBase<DetectorBatch>
{
    /// <summary>The share of training crops left clean.</summary>
    public const double CleanShare = 0.2;

    private readonly PhotoCache cache;
    private readonly TrainingSampler sampler;
    private readonly Scalar one = 1.0.ToScalar(), two = 2.0.ToScalar();
    private DetectorValidation? validation;

    /// <summary>Builds the detector, its optimiser and the data pipeline.</summary>
    /// <exception cref="UserError">The spec is not a detector.</exception>
    public DetectorTrainer(TrainOptions options, ModelSpec spec, DataSplit split, Action<string>? log = null)
        : base(options, spec, split, log)
    {
        if (spec.Family != ModelFamily.Detector) throw new UserError($"'{spec.Architecture}' is not a detector architecture");
        Net = new DamageNet(spec);
        DetectorInit.Apply(Net);
        Net.to(Device);
        Optimizer = optim.Adam(Net.parameters(), options.LearningRateG, options.Beta1, options.Beta2);
        int minScale = options.MinScale > 0 ? options.MinScale : spec.ImageSize;
        int maxScale = options.MaxScale > 0 ? options.MaxScale : 3 * spec.ImageSize;
        cache = new PhotoCache(new PhotoFile(), maxScale, options.CacheBytes);
        sampler = new TrainingSampler(split.Train, cache, new SamplerOptions
        {
            ImageSize = spec.ImageSize, MinScale = minScale, MaxScale = maxScale, Flip = options.Flip, Seed = options.Seed,
            Weighting = options.Weighting, HoleSize = 1,
        }, Log);
    }

    /// <summary>The detector being trained.</summary>
    public DamageNet Net { get; }

    /// <summary>Its optimiser.</summary>
    public Adam Optimizer { get; }

    /// <inheritdoc />
    public override nn.Module GeneratorModule => Net;

    /// <inheritdoc />
    protected override nn.Module? DiscriminatorModule => null;

    /// <inheritdoc />
    protected override OptimizerHelper GeneratorOptimizer => Optimizer;

    /// <inheritdoc />
    protected override OptimizerHelper? DiscriminatorOptimizer => null;

    /// <inheritdoc />
    public override int EpochLength => sampler.EpochLength;

    /// <summary>Makes the batch of a step synchronously (tests).</summary>
    public DetectorBatch MakeBatch(long step) => DetectorBatch.Make(sampler, DamageKinds.All, CleanShare, step, Options.BatchSize);

    /// <inheritdoc />
    protected override BackgroundBatches<DetectorBatch> StartLoader(long firstStep) => new(MakeBatch, firstStep, Options.Workers, Options.Prefetch);

    /// <inheritdoc />
    protected override long StepOf(DetectorBatch batch) => batch.Step;

    /// <inheritdoc />
    protected override StepLosses TrainStep(DetectorBatch batch, bool writeSample)
    {
        using var scope = NewDisposeScope();
        return Step(batch);
    }

    /// <summary>One optimisation step on a batch.</summary>
    public StepLosses Step(DetectorBatch batch)
    {
        int n = batch.Size, s = batch.ImageSize;
        foreach (var group in Optimizer.ParamGroups) group.LearningRate = Options.LearningRateG * LearningRateFactor(batch.Step);
        Net.train();
        Optimizer.zero_grad();
        Tensor image = FreeformGenerator.ChannelsLast(torch.tensor(batch.Damaged, [n, 3, s, s]).to(Device));
        Tensor target = torch.tensor(batch.Label, [n, 1, s, s]).to(Device);
        Tensor logits = Net.forward(image);
        Tensor crossEntropy = nn.functional.binary_cross_entropy_with_logits(logits, target);
        Tensor p = torch.sigmoid(logits);
        Tensor overlap = (p * target).sum([1, 2, 3]).mul(two).add(one);
        Tensor dice = overlap.div((p.sum([1, 2, 3]) + target.sum([1, 2, 3])).add(one)).neg().add(one).mean();
        Tensor loss = crossEntropy.Plus(dice);
        loss.backward();
        if (Options.GradientClip > 0) nn.utils.clip_grad_norm_(Net.parameters(), Options.GradientClip);
        Optimizer.step();
        Completed(batch.Step + 1);
        float ce = crossEntropy.item<float>(), d = dice.item<float>();
        return new StepLosses(loss.item<float>(), 0, ce, 0) { Terms = [("cross-entropy", ce), ("dice", d)] };
    }

    /// <summary>Scores per damage kind and on clean crops at <paramref name="threshold"/>.</summary>
    public (IReadOnlyDictionary<DamageKind, DetectionScore> Kinds, DetectionScore Clean) ValidateKinds(double threshold = DetectorContract.DefaultThreshold) =>
        Validation.Measure(threshold);

    /// <inheritdoc />
    public override ValidationSummary ValidateSummary() => Validation.Summary();

    private DetectorValidation Validation => validation ??= new DetectorValidation(Split.Validation, cache, Net, Device, Options.BatchSize, Log);

    /// <inheritdoc />
    protected override void AddFacts(JsonObject facts)
    {
        facts["damage"] = string.Join(",", DamageKinds.All.Select(k => k.Word()));
        facts["clean_share"] = CleanShare;
        facts["losses"] = new JsonObject { ["cross_entropy"] = 1, ["dice"] = 1 };
        facts["schedule"] = Options.Schedule;
        facts["learning_rate"] = Options.LearningRateG;
        facts["scales"] = $"{sampler.Options.MinScale}..{sampler.Options.MaxScale}";
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            one.Dispose();
            two.Dispose();
            Optimizer.Dispose();
            Net.Dispose();
            cache.Dispose();
        }
        base.Dispose(disposing);
    }
}
