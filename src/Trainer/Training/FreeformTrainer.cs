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
/// Training of the free-form family: crops with masks from the mix, the generator's residual over its pre-fill,
/// and per step an Adam update on <c>pixelWeight * L1 over each image's holes</c> (averaged per image), plus optionally an L1 on image gradients
/// (<see cref="TrainOptions.GradientWeight"/>) and the article's least-squares adversarial term on the repaired
/// tile (<see cref="TrainOptions.AdversarialWeight"/>, off by default). Validation measures every mask kind and
/// picks the best checkpoint on the mean hole-PSNR over the kinds.
/// </summary>
public sealed class FreeformTrainer : TrainerBase<FreeformBatch>
{
    private readonly PhotoCache cache;
    private readonly TrainingSampler sampler;
    private readonly MaskMix mix;
    private readonly Adam? optimizerD;
    private FreeformValidationSet? validation;
    private Dictionary<MaskKind, (double Psnr, double Ssim, double L1)>? prefillQuality;

    // Held for the trainer's lifetime (see SpecBlock on TorchSharp's temporary Scalars).
    private readonly Scalar pixelWeight, gradientWeight, adversarialWeight, half, one, halfWay, minusOne = (-1.0).ToScalar(), three = 3.0.ToScalar(), six = 6.0.ToScalar();

    /// <summary>Builds the generator (initialised so that it equals its pre-fill), the optimiser and the data pipeline.</summary>
    /// <exception cref="UserError">The spec is not free-form or the mask mix does not parse.</exception>
    public FreeformTrainer(TrainOptions options, ModelSpec spec, DataSplit split, Action<string>? log = null)
        : base(options, spec, split, log)
    {
        if (spec.Family != ModelFamily.Freeform) throw new UserError($"'{spec.Architecture}' is not a free-form architecture");
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
            Discriminator = new PatchDiscriminator();
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

    /// <summary>When set, each <see cref="Step"/> reports its phases here (<c>inpaint-train profile</c>).</summary>
    public StepPhases? Phases { get; set; }

    /// <summary>Makes the batch of a step synchronously (tests, benchmarks).</summary>
    public FreeformBatch MakeBatch(long step) => FreeformBatch.Make(sampler, mix, step, Options.BatchSize);

    /// <inheritdoc />
    protected override BackgroundBatches<FreeformBatch> StartLoader(long firstStep) =>
        new(step => FreeformBatch.Make(sampler, mix, step, Options.BatchSize), firstStep, Options.Workers, Options.Prefetch);

    /// <inheritdoc />
    protected override long StepOf(FreeformBatch batch) => batch.Step;

    /// <summary>The learning-rate factor at a step: 1, or a cosine from 1 down to 0.05 at the last step.</summary>
    public double LearningRateFactor(long step)
    {
        if (Options.Schedule != "cosine") return 1;
        double progress = Math.Clamp((double)step / Math.Max(1, TotalSteps), 0, 1);
        return 0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <inheritdoc />
    protected override StepLosses TrainStep(FreeformBatch batch, bool writeSample)
    {
        using var scope = NewDisposeScope();
        int n = batch.Size, s = batch.ImageSize;
        Tensor real = torch.tensor(batch.Real, [n, 3, s, s]).to(Device);
        Tensor hole = torch.tensor(batch.Hole, [n, 1, s, s]).to(Device);
        StepLosses losses = Step(batch.Step, real, hole, out Tensor filled, out Tensor repaired);
        if (writeSample)
        {
            using var grid = FreeformSampleGrid.Render(batch, filled.cpu().data<float>().ToArray(), repaired.detach().cpu().data<float>().ToArray(), rows: 6);
            SaveSample(grid);
        }
        return losses;
    }

    /// <summary>One optimisation step on real crops [N,3,S,S] in [-1, 1] and holes [N,1,S,S].</summary>
    public StepLosses Step(long stepIndex, Tensor real, Tensor hole, out Tensor filled, out Tensor repaired)
    {
        foreach (var group in OptimizerG.ParamGroups) group.LearningRate = Options.LearningRateG * LearningRateFactor(stepIndex);
        Generator.train();
        OptimizerG.zero_grad();
        Phases?.Start();
        filled = Generator.Prefill.forward(real, hole);
        Phases?.Mark("prefill");
        Tensor residual = Generator.Residual(filled, hole);
        Tensor inHole = hole.gt(halfWay);
        Tensor raw = filled.Plus(residual);
        repaired = torch.where(inHole, raw.clamp(minusOne, one), real);
        // L1 per image over its own hole, then the mean over images: a 3-px scratch counts as much as a big box
        // (over all hole pixels of the batch at once, the big holes would drown the thin damage). The loss sees the
        // prediction before the output's clip: a clipped value has no gradient, and a run whose residual overshoots
        // everywhere could never come back (one did, at step 1,950 of a long run).
        Tensor holeValues = hole.sum([1, 2, 3]).mul(three).clamp_min(one);
        Tensor pixel = ((torch.where(inHole, raw, real) - real).abs().sum([1, 2, 3]) / holeValues).mean();
        Tensor loss = pixel.mul(pixelWeight);
        Tensor gradient = zeros(1);
        if (Options.GradientWeight > 0)
        {
            // Gradients of the repair against the truth's, on pixels whose 3x3 neighbourhood touches the hole.
            Tensor near = nn.functional.max_pool2d(hole, 3, 1, 1);
            Tensor dx = (Dx(repaired) - Dx(real)).abs() * Dx(near, max: true);
            Tensor dy = (Dy(repaired) - Dy(real)).abs() * Dy(near, max: true);
            gradient = dx.sum().Plus(dy.sum()) / near.sum().mul(six).clamp_min(one);
            loss = loss.Plus(gradient.mul(gradientWeight));
        }
        Tensor adversarial = zeros(1);
        if (Discriminator is not null)
        {
            Discriminator.train();
            Tensor score = Discriminator.forward(repaired);
            adversarial = nn.functional.mse_loss(score, ones_like(score));
            loss = loss.Plus(adversarial.mul(adversarialWeight));
        }
        Phases?.Mark("forward and loss");
        loss.backward();
        Phases?.Mark("backward");
        if (Options.GradientClip > 0) nn.utils.clip_grad_norm_(Generator.parameters(), Options.GradientClip);
        OptimizerG.step();
        Phases?.Mark("optimiser");

        double discriminatorLoss = 0;
        if (Discriminator is not null && optimizerD is not null)
        {
            optimizerD.zero_grad();
            Tensor scoreReal = Discriminator.forward(real);
            Tensor scoreFake = Discriminator.forward(repaired.detach());
            Tensor d = nn.functional.mse_loss(scoreReal, ones_like(scoreReal)).Plus(nn.functional.mse_loss(scoreFake, zeros_like(scoreFake))).mul(half);
            d.backward();
            optimizerD.step();
            discriminatorLoss = d.item<float>();
        }
        Completed(stepIndex + 1);
        return new StepLosses(loss.item<float>(), adversarial.item<float>(), pixel.item<float>(), discriminatorLoss) { Gradient = gradient.item<float>() };
    }

    private static Tensor Dx(Tensor x, bool max = false) =>
        max ? torch.maximum(x[.., .., .., 1..], x[.., .., .., ..^1]) : x[.., .., .., 1..] - x[.., .., .., ..^1];

    private static Tensor Dy(Tensor x, bool max = false) =>
        max ? torch.maximum(x[.., .., 1.., ..], x[.., .., ..^1, ..]) : x[.., .., 1.., ..] - x[.., .., ..^1, ..];

    /// <summary>Quality per mask kind on the validation tiles: the model's, and (computed once) its pre-fill's.</summary>
    public IReadOnlyDictionary<MaskKind, (double Psnr, double Ssim, double L1, double L2, int Images)> ValidateKinds(bool prefillOnly = false)
    {
        validation ??= FreeformValidationSet.Build(Split.Validation, cache, Spec.ImageSize, Log);
        var result = new Dictionary<MaskKind, (double, double, double, double, int)>();
        if (validation.Tiles == 0) return result;
        int s = validation.ImageSize, plane = s * s;
        Generator.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (MaskKind kind in FreeformValidationSet.Kinds)
            {
                double psnr = 0, ssim = 0, l1 = 0, l2 = 0;
                int images = 0;
                float[] holes = validation.Holes[kind];
                for (int start = 0; start < validation.Tiles; start += Options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(Options.BatchSize, validation.Tiles - start);
                    Tensor real = torch.tensor(validation.Real.AsSpan(start * 3 * plane, n * 3 * plane).ToArray(), [n, 3, s, s]).to(Device);
                    Tensor hole = torch.tensor(holes.AsSpan(start * plane, n * plane).ToArray(), [n, 1, s, s]).to(Device);
                    Tensor output = prefillOnly ? Generator.Prefill.forward(real, hole) : Generator.forward(real, hole);
                    var sums = HoleMetrics.MaskedSums(output.cpu(), real.cpu(), hole.cpu());
                    psnr += sums.PsnrSum; ssim += sums.SsimSum; l1 += sums.L1Sum; l2 += sums.L2Sum; images += sums.Images;
                }
                int count = Math.Max(1, images);
                result[kind] = (psnr / count, ssim / count, l1 / count, l2 / count, images);
            }
        }
        finally
        {
            Generator.train();
        }
        return result;
    }

    /// <inheritdoc />
    public override ValidationSummary ValidateSummary()
    {
        if (prefillQuality is null)
        {
            var baseline = ValidateKinds(prefillOnly: true);
            prefillQuality = baseline.ToDictionary(kv => kv.Key, kv => (kv.Value.Psnr, kv.Value.Ssim, kv.Value.L1));
            if (baseline.Count > 0)
                Log("validation, pre-fill alone: " + string.Join(", ", baseline.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{Name(kv.Key)} {kv.Value.Psnr:F2} dB"))));
        }
        var kinds = ValidateKinds();
        if (kinds.Count == 0) return new ValidationSummary(double.NaN, 0, new Dictionary<string, double>(), "no validation tiles", new JsonObject());
        var metrics = new Dictionary<string, double>();
        var facts = new JsonObject { ["masks"] = string.Join(",", kinds.Keys.Select(Name)) };
        foreach (var (kind, q) in kinds)
        {
            string k = Name(kind);
            metrics[$"{k}/psnr"] = q.Psnr;
            metrics[$"{k}/ssim"] = q.Ssim;
            metrics[$"{k}/l1"] = q.L1;
            metrics[$"{k}/gain_over_prefill"] = q.Psnr - prefillQuality[kind].Psnr;
            facts[k] = new JsonObject
            {
                ["psnr"] = Math.Round(q.Psnr, 4), ["ssim"] = Math.Round(q.Ssim, 5), ["l1"] = Math.Round(q.L1, 6),
                ["prefill_psnr"] = Math.Round(prefillQuality[kind].Psnr, 4),
            };
        }
        double score = kinds.Values.Average(q => q.Psnr);
        metrics["psnr"] = score;
        metrics["ssim"] = kinds.Values.Average(q => q.Ssim);
        metrics["gain_over_prefill"] = score - prefillQuality.Values.Average(q => q.Psnr);
        facts["mean_psnr"] = Math.Round(score, 4);
        string text = string.Create(CultureInfo.InvariantCulture, $"mean hole PSNR {score:F2} dB ({metrics["gain_over_prefill"]:+0.00;-0.00} over the pre-fill): ")
                      + string.Join(", ", kinds.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{Name(kv.Key)} {kv.Value.Psnr:F2}")));
        return new ValidationSummary(score, kinds.Values.Max(q => q.Images), metrics, text, facts);
    }

    private static string Name(MaskKind kind) => kind.Word();

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
