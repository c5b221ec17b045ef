using Inpaint.Masks;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using Inpaint.Trainer.Training;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class FreeformTrainingTests
{
    private static TrainOptions Options(TinyRun run) => run.Options() with
    {
        Architecture = Architectures.FreeformTiny, AdversarialWeight = 0, LearningRateG = 2e-3, Beta1 = 0.9, MaskMix = "freeform=1,box=1",
    };

    /// <summary>The pixel loss of <paramref name="steps"/> steps, all on the batch of step 0.</summary>
    private static List<double> PixelLosses(FreeformTrainer trainer, int steps)
    {
        FreeformBatch batch = trainer.MakeBatch(0);
        var losses = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            losses.Add(trainer.Step(batch, out _).Pixel);
        }
        return losses;
    }

    [Fact]
    public void TheHoleLossFallsAndTheModelLeavesThePrefill()
    {
        using var run = new TinyRun();
        using var trainer = new FreeformTrainer(Options(run), Architectures.Create(Architectures.FreeformTiny), run.Split);
        List<double> losses = PixelLosses(trainer, steps: 40);
        Assert.True(losses.TakeLast(5).Average() < 0.8 * losses.Take(5).Average(), string.Join(", ", losses.Select(l => l.ToString("F4"))));
    }

    [Fact]
    public void AModelWhoseOutputRunsIntoTheClipStillLearnsBack()
    {
        // A residual of +3 everywhere pushes every hole pixel past the output's [-1, 1] clip. A loss on the clipped
        // output would have no gradient there and stay flat; the loss on the raw prediction pulls the model back.
        using var run = new TinyRun();
        using var trainer = new FreeformTrainer(Options(run), Architectures.Create(Architectures.FreeformTiny), run.Split);
        using (no_grad())
        {
            var last = trainer.Generator.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Convolution>().Last();
            last.bias!.fill_(3.0);
        }
        List<double> losses = PixelLosses(trainer, steps: 20);
        // The raw prediction is about 3 away from photos in [-1, 1]: the loss reports that, not the clipped distance.
        Assert.True(losses[0] > 2.0, $"first loss {losses[0]:F3}");
        Assert.True(losses[^1] < losses[0] - 0.02, string.Join(", ", losses.Select(l => l.ToString("F4"))));
    }

    [Fact]
    public void WithAnAdversarialWeightBothNetworksTrainOnTilesWithTheirHoles()
    {
        using var run = new TinyRun();
        using var trainer = new FreeformTrainer(Options(run) with { AdversarialWeight = 0.01 }, Architectures.Create(Architectures.FreeformTiny), run.Split);
        Assert.NotNull(trainer.Discriminator);
        float[] before = trainer.Discriminator!.parameters().First().data<float>().ToArray();
        FreeformBatch batch = trainer.MakeBatch(0);
        var steps = new List<StepLosses>();
        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            steps.Add(trainer.Step(batch, out _));
        }
        // The least-squares terms of an untrained pair are near their start (D scores near 0: each MSE about 1, D's about 0.5).
        Assert.All(steps, s => Assert.InRange(s.Adversarial, 0.01, 10));
        Assert.All(steps, s => Assert.InRange(s.Discriminator, 0.01, 10));
        Assert.NotEqual(before, trainer.Discriminator.parameters().First().data<float>().ToArray());
        Assert.Equal(4, trainer.Discriminator.parameters().First().shape[1]); // RGB and the hole map
    }

    [Fact]
    public void StepPhasesAddUpTheStepsTime()
    {
        using var run = new TinyRun();
        using var trainer = new FreeformTrainer(Options(run), Architectures.Create(Architectures.FreeformTiny), run.Split);
        var phases = new StepPhases();
        trainer.Phases = phases;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PixelLosses(trainer, steps: 3);
        clock.Stop();
        Assert.Equal(["inputs", "forward", "loss", "backward", "optimiser"], phases.Names);
        TimeSpan sum = TimeSpan.FromTicks(phases.Names.Sum(n => phases.Total(n).Ticks));
        Assert.All(phases.Names, n => Assert.True(phases.Total(n) > TimeSpan.Zero, n));
        Assert.True(sum <= clock.Elapsed, $"{sum} > {clock.Elapsed}");
        phases.Reset();
        Assert.Empty(phases.Names);
    }

    [Fact]
    public void ValidationMeasuresEveryKindAndThePrefillBaseline()
    {
        using var run = new TinyRun();
        using var trainer = new FreeformTrainer(Options(run), Architectures.Create(Architectures.FreeformTiny), run.Split);
        ValidationSummary summary = trainer.ValidateSummary();
        Assert.True(summary.Images > 0);
        foreach (MaskKind kind in FreeformValidationSet.Kinds)
        {
            string k = kind.ToString().ToLowerInvariant();
            Assert.InRange(summary.Metrics[$"{k}/psnr"], 5, 60);
            // Untrained, the model is its pre-fill: no gain either way.
            Assert.Equal(0, summary.Metrics[$"{k}/gain_over_prefill"], 6);
        }
        Assert.Equal(FreeformValidationSet.Kinds.Average(k => summary.Metrics[$"{k.ToString().ToLowerInvariant()}/psnr"]), summary.Score, 9);
    }

    [Fact]
    public void AResumedFreeformRunRepeatsTheUninterruptedLosses()
    {
        using var run = new TinyRun();
        ModelSpec spec = Architectures.Create(Architectures.FreeformTiny);
        var uninterrupted = new List<StepReport>();
        using (var a = new FreeformTrainer(Options(run) with { MaxSteps = 6, CheckpointInterval = 3 }, spec, run.Split))
            a.Run(CancellationToken.None, uninterrupted.Add);
        TrainOptions options = Options(run) with { MaxSteps = 3, CheckpointInterval = 3 };
        using (var b = new FreeformTrainer(options, spec, run.Split))
            b.Run(CancellationToken.None);
        var resumed = new List<StepReport>();
        using (var c = new FreeformTrainer(options with { MaxSteps = 6 }, spec, run.Split))
        {
            c.Restore(new RunFolder(options.OutDir).Latest()!);
            c.Run(CancellationToken.None, resumed.Add);
        }
        Assert.Equal(uninterrupted.Skip(3).Select(r => r.Losses), resumed.Select(r => r.Losses));
        // The checkpoint is a freeform generator with its spec.
        var (generator, _) = GeneratorCheckpoint.LoadAny(Path.Combine(new RunFolder(options.OutDir).Latest()!, GeneratorCheckpoint.FileName));
        using (generator) Assert.IsType<FreeformGenerator>(generator);
    }

    [Fact]
    public void TheCosineScheduleEndsAtFivePercent()
    {
        using var run = new TinyRun();
        using var trainer = new FreeformTrainer(Options(run) with { Schedule = "cosine", MaxSteps = 100 }, Architectures.Create(Architectures.FreeformTiny), run.Split);
        Assert.Equal(1, trainer.LearningRateFactor(0), 9);
        Assert.Equal(0.525, trainer.LearningRateFactor(50), 9);
        Assert.Equal(0.05, trainer.LearningRateFactor(100), 9);
    }

    [Fact]
    public void SqrtGroupWeightingGivesEachFolderTheSquareRootOfItsSize()
    {
        using var photos = new TestPhotos(count: 10, subfolder: "big");
        DataSplit split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0, 0);
        using var cache = new PhotoCache(new PhotoFile(), 96);
        var sampler = new TrainingSampler(split.Train, cache, new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 96, Weighting = PhotoWeighting.SqrtGroup });
        var p = sampler.DrawProbabilities();
        Assert.Equal(1, p.Sum(), 9);
        // 5 photos in "big" (one group of 5) and 5 at the top level (5 groups of 1): weights 1/sqrt(5) and 1.
        double big = split.Train.Select((e, i) => (e, i)).Where(t => TrainingSampler.Group(t.e) == "big").Sum(t => p[t.i]);
        Assert.Equal(Math.Sqrt(5) / (Math.Sqrt(5) + 5), big, 9);
    }
}
