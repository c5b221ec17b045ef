using System.Text.Json.Nodes;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Masks;
using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>
/// The article's context-encoder GAN training: per step, a generator update on
/// <c>pixelWeight * L1(patch, truth) + adversarialWeight * MSE(D(patch), 1)</c>, then a discriminator update on
/// <c>(MSE(D(truth), 1) + MSE(D(patch.detach()), 0)) / 2</c>, both with Adam. The loop, checkpoints and logs are
/// <see cref="TrainerBase{TBatch}"/>'s.
/// </summary>
public sealed class CenterTrainer : TrainerBase<CenterBatch>
{
    private readonly PhotoCache cache;
    private readonly TrainingSampler sampler;
    private readonly Tensor? patchWeights;
    private CenterValidationSet? validation;
    private HoleQuality? lastValidation;

    // Loss weights as Scalars held for the trainer's lifetime (see SpecBlock on TorchSharp's temporary Scalars).
    private readonly Scalar adversarialWeight, pixelWeight, half;

    /// <summary>Builds the networks (initialised with <see cref="TrainOptions.Seed"/>) and the data pipeline.</summary>
    public CenterTrainer(TrainOptions options, ModelSpec spec, DataSplit split, Action<string>? log = null)
        : base(options, spec, split, log)
    {
        Generator = new CenterGenerator(spec);
        Discriminator = new PatchDiscriminator();
        WeightInit.Apply(Generator);
        WeightInit.Apply(Discriminator);
        Generator.to(Device);
        Discriminator.to(Device);
        OptimizerG = optim.Adam(Generator.parameters(), options.LearningRateG, options.Beta1, options.Beta2);
        OptimizerD = optim.Adam(Discriminator.parameters(), options.LearningRateD, options.Beta1, options.Beta2);
        adversarialWeight = options.AdversarialWeight.ToScalar();
        pixelWeight = options.PixelWeight.ToScalar();
        half = 0.5.ToScalar();

        int minScale = options.MinScale > 0 ? options.MinScale : spec.ImageSize;
        int maxScale = options.MaxScale > 0 ? options.MaxScale : 3 * spec.ImageSize;
        cache = new PhotoCache(new PhotoFile(), maxScale, options.CacheBytes);
        sampler = new TrainingSampler(split.Train, cache, new SamplerOptions
        {
            ImageSize = spec.ImageSize, MinScale = minScale, MaxScale = maxScale, Flip = options.Flip,
            Mask = options.Mask, HoleSize = spec.Hole.Size, Seed = options.Seed, Weighting = options.Weighting,
        }, Log);
        if (spec.Hole.Overlap > 0)
        {
            float[] w = HoleMask.PatchWeights(spec.Hole.Size, spec.Hole.Overlap, (float)options.OverlapWeight);
            patchWeights = torch.tensor(w, [1, 1, spec.Hole.Size, spec.Hole.Size]).to(Device);
        }
    }

    /// <summary>The generator being trained.</summary>
    public CenterGenerator Generator { get; }

    /// <summary>The discriminator being trained.</summary>
    public PatchDiscriminator Discriminator { get; }

    /// <summary>The generator's optimiser.</summary>
    public Adam OptimizerG { get; }

    /// <summary>The discriminator's optimiser.</summary>
    public Adam OptimizerD { get; }

    /// <inheritdoc />
    public override nn.Module GeneratorModule => Generator;

    /// <inheritdoc />
    protected override nn.Module DiscriminatorModule => Discriminator;

    /// <inheritdoc />
    protected override OptimizerHelper GeneratorOptimizer => OptimizerG;

    /// <inheritdoc />
    protected override OptimizerHelper DiscriminatorOptimizer => OptimizerD;

    /// <inheritdoc />
    public override int EpochLength => sampler.EpochLength;

    /// <summary>The most recent validation result, if any.</summary>
    public HoleQuality? LastValidation => lastValidation;

    /// <summary>Sampler used for training batches (exposed for tests and benchmarks).</summary>
    public TrainingSampler Sampler => sampler;

    /// <inheritdoc />
    protected override BackgroundBatches<CenterBatch> StartLoader(long firstStep) =>
        new CenterBatchLoader(sampler, Options.BatchSize, Spec.Hole.Overlap, Spec.Hole.Fill, firstStep, Options.Workers, Options.Prefetch);

    /// <inheritdoc />
    protected override long StepOf(CenterBatch batch) => batch.Step;

    /// <inheritdoc />
    protected override StepLosses TrainStep(CenterBatch batch, bool writeSample)
    {
        int p = Spec.Hole.Size;
        using Tensor? generated = writeSample ? zeros(batch.Size, 3, p, p) : null;
        StepLosses losses = Step(batch, generated);
        if (generated is not null)
        {
            float[] patches = generated.cpu().data<float>().ToArray();
            using var grid = CenterSampleGrid.Render(batch, patches, rows: 6);
            SaveSample(grid);
        }
        return losses;
    }

    /// <summary>One optimisation step of both networks on <paramref name="batch"/>.</summary>
    public StepLosses Step(CenterBatch batch, Tensor? generatedOut = null)
    {
        using var scope = NewDisposeScope();
        int n = batch.Size, s = batch.ImageSize, p = batch.HoleSize;
        Tensor input = torch.tensor(batch.Input, [n, 3, s, s]).to(Device);
        Tensor truth = torch.tensor(batch.Truth, [n, 3, p, p]).to(Device);
        Generator.train();
        Discriminator.train();

        OptimizerG.zero_grad();
        Tensor fake = Generator.forward(input);
        Tensor scoreFake = Discriminator.forward(fake);
        Tensor adversarial = nn.functional.mse_loss(scoreFake, ones_like(scoreFake));
        Tensor pixel = patchWeights is null
            ? nn.functional.l1_loss(fake, truth)
            : ((fake - truth).abs() * patchWeights).mean();
        Tensor generatorLoss = adversarial.mul(adversarialWeight).Plus(pixel.mul(pixelWeight));
        generatorLoss.backward();
        OptimizerG.step();

        OptimizerD.zero_grad();
        Tensor scoreReal = Discriminator.forward(truth);
        Tensor scoreDetached = Discriminator.forward(fake.detach());
        Tensor discriminatorLoss = nn.functional.mse_loss(scoreReal, ones_like(scoreReal))
            .Plus(nn.functional.mse_loss(scoreDetached, zeros_like(scoreDetached))).mul(half);
        discriminatorLoss.backward();
        OptimizerD.step();

        generatedOut?.copy_(fake.detach());
        Completed(batch.Step + 1);
        return new StepLosses(generatorLoss.item<float>(), adversarial.item<float>(), pixel.item<float>(), discriminatorLoss.item<float>());
    }

    /// <summary>Hole quality of the generator on the held-out photos with the centre hole.</summary>
    public HoleQuality Validate()
    {
        validation ??= CenterValidationSet.Build(Split.Validation, cache, Spec, Log);
        if (validation.Count == 0) return new HoleQuality(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        int s = Spec.ImageSize, p = Spec.Hole.Size, o = Spec.Hole.Overlap;
        int imageFloats = 3 * s * s, patchFloats = 3 * p * p;
        double psnr = 0, ssim = 0, l1 = 0, l2 = 0;
        Generator.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < validation.Count; start += Options.BatchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(Options.BatchSize, validation.Count - start);
                Tensor input = torch.tensor(validation.Input.AsSpan(start * imageFloats, n * imageFloats).ToArray(), [n, 3, s, s]).to(Device);
                Tensor truth = torch.tensor(validation.Truth.AsSpan(start * patchFloats, n * patchFloats).ToArray(), [n, 3, p, p]).to(Device);
                Tensor fake = Generator.forward(input);
                // Under overlap only the blanked inner square is unknown to the generator: measure that.
                if (o > 0)
                {
                    fake = fake[.., .., o..(p - o), o..(p - o)];
                    truth = truth[.., .., o..(p - o), o..(p - o)];
                }
                var sums = HoleMetrics.Sums(fake.cpu(), truth.cpu());
                psnr += sums.PsnrSum; ssim += sums.SsimSum; l1 += sums.L1Sum; l2 += sums.L2Sum;
            }
        }
        finally
        {
            Generator.train();
        }
        int count = validation.Count;
        return new HoleQuality(psnr / count, ssim / count, l1 / count, l2 / count, count);
    }

    /// <inheritdoc />
    public override ValidationSummary ValidateSummary()
    {
        HoleQuality q = Validate();
        if (q.Images > 0) lastValidation = q;
        var metrics = new Dictionary<string, double> { ["psnr"] = q.Psnr, ["ssim"] = q.Ssim, ["l1"] = q.L1, ["l2"] = q.L2 };
        var facts = new JsonObject
        {
            ["mask"] = $"center:{Spec.Hole.Size}",
            ["psnr"] = Math.Round(q.Psnr, 4), ["ssim"] = Math.Round(q.Ssim, 5), ["l1"] = Math.Round(q.L1, 6), ["l2"] = Math.Round(q.L2, 7),
        };
        return new ValidationSummary(q.Psnr, q.Images, metrics, $"hole PSNR {q.Psnr:F2} dB, SSIM {q.Ssim:F4}, L1 {q.L1:F4}, L2 {q.L2:F5}", facts);
    }

    /// <inheritdoc />
    protected override void AddFacts(JsonObject facts)
    {
        facts["mask"] = Options.Mask.ToString().ToLowerInvariant();
        facts["fill"] = Options.Fill;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            patchWeights?.Dispose();
            adversarialWeight.Dispose();
            pixelWeight.Dispose();
            half.Dispose();
            OptimizerG.Dispose();
            OptimizerD.Dispose();
            Generator.Dispose();
            Discriminator.Dispose();
            cache.Dispose();
        }
        base.Dispose(disposing);
    }
}
