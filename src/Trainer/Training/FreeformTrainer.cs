using System.Globalization;
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
/// Training of the freeform family: crops with masks from the mix, the generator's residual over its pre-fill,
/// and per step an Adam update on <c>pixelWeight * L1 over each image's holes</c> (averaged per image), plus optionally an L1 on image gradients
/// (<see cref="TrainOptions.GradientWeight"/>) and the article's least-squares adversarial term on the repaired
/// tile (<see cref="TrainOptions.AdversarialWeight"/>, off by default), from a patch discriminator that sees the hole map
/// beside the image (real crops are judged with the same holes, so it learns what a fill looks like, not where one is). Validation measures every mask kind and
/// picks the best checkpoint on the mean hole-PSNR over the kinds.
/// </summary>
public sealed class FreeformTrainer : TrainerBase<FreeformBatch>
{
    private readonly PhotoCache cache;
    private readonly TrainingSampler sampler;
    private readonly MaskMix mix;
    private readonly HarmonicFill fill;
    private readonly Adam? optimizerD;
    private FreeformValidation? validation;

    // Held for the trainer's lifetime (see SpecBlock on TorchSharp's temporary Scalars).
    private readonly Scalar pixelWeight, gradientWeight, adversarialWeight, half, one, halfWay, minusOne = (-1.0).ToScalar(), three = 3.0.ToScalar(), six = 6.0.ToScalar();

    /// <summary>Builds the generator (initialised so that it equals its pre-fill), the optimiser and the data pipeline.</summary>
    /// <exception cref="UserError">The spec is not freeform or the mask mix does not parse.</exception>
    public FreeformTrainer(TrainOptions options, ModelSpec spec, DataSplit split, Action<string>? log = null)
        : base(options, spec, split, log)
    {
        if (spec.Family != ModelFamily.Freeform) throw new UserError($"'{spec.Architecture}' is not a freeform architecture");
        if (spec.Layers.Count == 0) throw new UserError($"'{spec.Architecture}' is the pre-fill alone: it has nothing to train (export it directly)");
        try
        {
            mix = MaskMix.Parse(options.MaskMix);
        }
        catch (FormatException e)
        {
            throw new UserError($"--mask-mix: {e.Message}");
        }
        Generator = new FreeformGenerator(spec);
        FreeformInit.Apply(Generator);
        Generator.to(Device);
        OptimizerG = optim.Adam(Generator.parameters(), options.LearningRateG, options.Beta1, options.Beta2);
        if (options.AdversarialWeight > 0)
        {
            Discriminator = new PatchDiscriminator(inputChannels: 4);
            WeightInit.Apply(Discriminator);
            Discriminator.to(Device);
            optimizerD = optim.Adam(Discriminator.parameters(), options.LearningRateD, options.Beta1, options.Beta2);
        }
        pixelWeight = options.PixelWeight.ToScalar();
        gradientWeight = options.GradientWeight.ToScalar();
        adversarialWeight = options.AdversarialWeight.ToScalar();
        half = 0.5.ToScalar();
        one = 1.0.ToScalar();
        halfWay = 0.5.ToScalar();

        int minScale = options.MinScale > 0 ? options.MinScale : spec.ImageSize;
        int maxScale = options.MaxScale > 0 ? options.MaxScale : 3 * spec.ImageSize;
        cache = new PhotoCache(new PhotoFile(), maxScale, options.CacheBytes);
        // The generator's own pre-fill, in managed code: the same values as its TorchSharp module (HarmonicFillTests).
        fill = new HarmonicFill(spec.Prefill!);
        sampler = new TrainingSampler(split.Train, cache, new SamplerOptions
        {
            ImageSize = spec.ImageSize, MinScale = minScale, MaxScale = maxScale, Flip = options.Flip, Seed = options.Seed,
            Weighting = options.Weighting, HoleSize = 1,
        }, Log);
    }

    /// <summary>The generator being trained.</summary>
    public FreeformGenerator Generator { get; }

    /// <summary>The discriminator, when <see cref="TrainOptions.AdversarialWeight"/> &gt; 0.</summary>
    public PatchDiscriminator? Discriminator { get; }

    /// <summary>The generator's optimiser.</summary>
    public Adam OptimizerG { get; }

    /// <summary>The sampler of training crops.</summary>
    public TrainingSampler Sampler => sampler;

    /// <summary>The mask mix.</summary>
    public MaskMix Mix => mix;

    /// <inheritdoc />
    public override nn.Module GeneratorModule => Generator;

    /// <inheritdoc />
    protected override nn.Module? DiscriminatorModule => Discriminator;

    /// <inheritdoc />
    protected override OptimizerHelper GeneratorOptimizer => OptimizerG;

    /// <inheritdoc />
    protected override OptimizerHelper? DiscriminatorOptimizer => optimizerD;

    /// <inheritdoc />
    public override int EpochLength => sampler.EpochLength;

    /// <summary>When set, each <see cref="Step(FreeformBatch, out Tensor)"/> reports its phases here (<c>inpaint-train profile</c>).</summary>
    public StepPhases? Phases { get; set; }

    /// <summary>Makes the batch of a step synchronously (tests, benchmarks).</summary>
    public FreeformBatch MakeBatch(long step) => FreeformBatch.Make(sampler, mix, fill, step, Options.BatchSize);

    /// <summary>Makes the batch of a step without its pre-fill (<see cref="Prefill"/> adds it), so each can be timed.</summary>
    public FreeformBatch MakeCrops(long step) => FreeformBatch.Make(sampler, mix, null, step, Options.BatchSize);

    /// <summary>Pre-fills a batch with the generator's own fill.</summary>
    public void Prefill(FreeformBatch batch) => batch.Prefill(fill);

    /// <inheritdoc />
    protected override BackgroundBatches<FreeformBatch> StartLoader(long firstStep) =>
        new(MakeBatch, firstStep, Options.Workers, Options.Prefetch);

    /// <inheritdoc />
    protected override long StepOf(FreeformBatch batch) => batch.Step;

    /// <inheritdoc />
    protected override StepLosses TrainStep(FreeformBatch batch, bool writeSample)
    {
        using var scope = NewDisposeScope();
        StepLosses losses = Step(batch, out Tensor repaired);
        if (writeSample)
        {
            using var grid = FreeformSampleGrid.Render(batch, batch.Filled, repaired.detach().cpu().data<float>().ToArray(), rows: 6);
            SaveSample(grid);
        }
        return losses;
    }

    /// <summary>One optimisation step on a batch (call inside a dispose scope: <paramref name="repaired"/> is left to it).</summary>
    public StepLosses Step(FreeformBatch batch, out Tensor repaired)
    {
        int n = batch.Size, s = batch.ImageSize;
        Phases?.Start();
        // Every tensor of the step in one layout (see FreeformGenerator.ChannelsLast): mixed layouts cost strided copies.
        Tensor real = FreeformGenerator.ChannelsLast(torch.tensor(batch.Real, [n, 3, s, s]).to(Device));
        Tensor filled = FreeformGenerator.ChannelsLast(torch.tensor(batch.Filled, [n, 3, s, s]).to(Device));
        Tensor hole = torch.tensor(batch.Hole, [n, 1, s, s]).to(Device);
        Phases?.Mark("inputs");
        return Train(batch.Step, real, hole, filled, out repaired);
    }

    /// <summary>One optimisation step on real crops [N,3,S,S] in [-1, 1], holes [N,1,S,S] and the pre-filled crops.</summary>
    private StepLosses Train(long stepIndex, Tensor real, Tensor hole, Tensor filled, out Tensor repaired)
    {
        foreach (var group in OptimizerG.ParamGroups) group.LearningRate = Options.LearningRateG * LearningRateFactor(stepIndex);
        Generator.train();
        OptimizerG.zero_grad();
        Tensor residual = Generator.Residual(filled, hole);
        Phases?.Mark("forward");
        Tensor inHole = hole.gt(halfWay);
        Tensor raw = filled.Plus(residual);
        repaired = torch.where(inHole, raw.clamp(minusOne, one), real);
        Tensor pixel = PixelLoss(raw, real, hole, inHole);
        Tensor loss = pixel.mul(pixelWeight);
        Tensor gradient = Options.GradientWeight > 0 ? GradientLoss(repaired, real, hole) : zeros(1);
        if (Options.GradientWeight > 0) loss = loss.Plus(gradient.mul(gradientWeight));
        Tensor adversarial = zeros(1);
        if (Discriminator is not null)
        {
            Discriminator.train();
            Tensor score = Discriminator.forward(Judged(repaired, hole));
            adversarial = nn.functional.mse_loss(score, ones_like(score));
            loss = loss.Plus(adversarial.mul(adversarialWeight));
        }
        Phases?.Mark("loss");
        loss.backward();
        Phases?.Mark("backward");
        if (Options.GradientClip > 0) nn.utils.clip_grad_norm_(Generator.parameters(), Options.GradientClip);
        OptimizerG.step();
        Phases?.Mark("optimiser");

        double discriminatorLoss = StepDiscriminator(Judged(real, hole), Judged(repaired.detach(), hole));
        Completed(stepIndex + 1);
        return new StepLosses(loss.item<float>(), adversarial.item<float>(), pixel.item<float>(), discriminatorLoss) { Gradient = gradient.item<float>() };
    }

    /// <summary>What the discriminator sees: a tile and its hole map, stacked into four channels.</summary>
    private static Tensor Judged(Tensor tile, Tensor hole) => torch.cat([tile, hole], 1);

    /// <summary>The discriminator's least-squares step on real crops and the (detached) repairs, each with its holes; 0 when the run has none.</summary>
    private double StepDiscriminator(Tensor real, Tensor repaired)
    {
        if (Discriminator is null || optimizerD is null) return 0;
        optimizerD.zero_grad();
        Tensor scoreReal = Discriminator.forward(real);
        Tensor scoreFake = Discriminator.forward(repaired);
        Tensor d = nn.functional.mse_loss(scoreReal, ones_like(scoreReal)).Plus(nn.functional.mse_loss(scoreFake, zeros_like(scoreFake))).mul(half);
        d.backward();
        optimizerD.step();
        return d.item<float>();
    }

    /// <summary>
    /// L1 per image over its own hole, then the mean over images: a 3-px scratch counts as much as a big box (over all
    /// hole pixels of the batch at once, the big holes would drown the thin damage). The loss sees the prediction before
    /// the output's clip: a clipped value has no gradient, and a run whose residual overshoots everywhere could never come
    /// back (one did, at step 1,950 of a long run).
    /// </summary>
    private Tensor PixelLoss(Tensor raw, Tensor real, Tensor hole, Tensor inHole)
    {
        Tensor holeValues = hole.sum([1, 2, 3]).mul(three).clamp_min(one);
        return ((torch.where(inHole, raw, real) - real).abs().sum([1, 2, 3]) / holeValues).mean();
    }

    /// <summary>Gradients of the repair against the truth's, on pixels whose 3x3 neighbourhood touches the hole.</summary>
    private Tensor GradientLoss(Tensor repaired, Tensor real, Tensor hole)
    {
        Tensor near = nn.functional.max_pool2d(hole, 3, 1, 1);
        Tensor dx = (Dx(repaired) - Dx(real)).abs() * Dx(near, max: true);
        Tensor dy = (Dy(repaired) - Dy(real)).abs() * Dy(near, max: true);
        return dx.sum().Plus(dy.sum()) / near.sum().mul(six).clamp_min(one);
    }

    private static Tensor Dx(Tensor x, bool max = false) =>
        max ? torch.maximum(x[.., .., .., 1..], x[.., .., .., ..^1]) : x[.., .., .., 1..] - x[.., .., .., ..^1];

    private static Tensor Dy(Tensor x, bool max = false) =>
        max ? torch.maximum(x[.., .., 1.., ..], x[.., .., ..^1, ..]) : x[.., .., 1.., ..] - x[.., .., ..^1, ..];

    /// <summary>Quality per mask kind on the validation tiles: the model's, or its pre-fill's alone.</summary>
    public IReadOnlyDictionary<MaskKind, KindQuality> ValidateKinds(bool prefillOnly = false) => Validation.Kinds(prefillOnly);

    /// <inheritdoc />
    public override ValidationSummary ValidateSummary() => Validation.Summary();

    private FreeformValidation Validation => validation ??= new FreeformValidation(
        FreeformValidationSet.Build(Split.Validation, cache, Spec.ImageSize, Log), Generator, Device, Options.BatchSize, Log);

    /// <inheritdoc />
    protected override void AddFacts(JsonObject facts)
    {
        facts["mask_mix"] = mix.ToString();
        facts["weighting"] = Options.Weighting.ToString().ToLowerInvariant();
        facts["losses"] = new JsonObject
        {
            ["pixel_l1"] = Options.PixelWeight, ["gradient_l1"] = Options.GradientWeight, ["adversarial"] = Options.AdversarialWeight,
        };
        facts["schedule"] = Options.Schedule;
        facts["gradient_clip"] = Options.GradientClip;
        facts["learning_rate"] = Options.LearningRateG;
        facts["scales"] = $"{sampler.Options.MinScale}..{sampler.Options.MaxScale}";
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (Scalar s in new[] { pixelWeight, gradientWeight, adversarialWeight, half, one, halfWay, minusOne, three, six }) s.Dispose();
            OptimizerG.Dispose();
            optimizerD?.Dispose();
            Generator.Dispose();
            Discriminator?.Dispose();
            cache.Dispose();
        }
        base.Dispose(disposing);
    }
}
