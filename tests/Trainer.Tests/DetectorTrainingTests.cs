using Inpaint.Masks;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using Inpaint.Trainer.Training;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class DetectorTrainingTests
{
    private static TrainOptions Options(TinyRun run) => run.Options() with
    {
        Architecture = Architectures.DetectorTiny, AdversarialWeight = 0, LearningRateG = 2e-3, Beta1 = 0.9,
    };

    [Fact]
    public void BatchesCarryDamageAndItsLabelAndAreTheSameForAStep()
    {
        using var run = new TinyRun();
        using var trainer = new DetectorTrainer(Options(run) with { BatchSize = 16 }, Architectures.Create(Architectures.DetectorTiny), run.Split);
        DetectorBatch a = trainer.MakeBatch(3), b = trainer.MakeBatch(3);
        Assert.Equal(a.Damaged, b.Damaged);
        Assert.Equal(a.Label, b.Label);
        double share = a.Label.Average();
        Assert.InRange(share, 0.001, 0.5); // some damage, most of each crop clean
        Assert.All(a.Label, v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void TheLossFallsOnABatch()
    {
        using var run = new TinyRun();
        using var trainer = new DetectorTrainer(Options(run), Architectures.Create(Architectures.DetectorTiny), run.Split);
        DetectorBatch batch = trainer.MakeBatch(0);
        var losses = new List<double>();
        for (int i = 0; i < 40; i++)
        {
            using var scope = NewDisposeScope();
            losses.Add(trainer.Step(batch).Generator);
        }
        Assert.True(losses.TakeLast(5).Average() < 0.85 * losses.Take(5).Average(), string.Join(", ", losses.Select(l => l.ToString("F4"))));
    }

    [Fact]
    public void ARunValidatesPerKindAndWritesACheckpointWithTheThreshold()
    {
        using var run = new TinyRun();
        var options = Options(run) with { MaxSteps = 4, ValidationInterval = 4, CheckpointInterval = 4 };
        using (var trainer = new DetectorTrainer(options, Architectures.Create(Architectures.DetectorTiny), run.Split))
        {
            Assert.Equal(RunOutcome.Completed, trainer.Run(CancellationToken.None));
            ValidationSummary summary = trainer.LastSummary!;
            Assert.True(summary.Images > 0);
            Assert.Contains(DamageKind.Scratch.Word(), summary.Text);
            Assert.Contains("threshold", summary.Facts.ToJsonString());
        }
        string checkpoint = Path.Combine(options.OutDir, "best", GeneratorCheckpoint.FileName);
        var (spec, facts) = GeneratorCheckpoint.ReadSpec(checkpoint);
        Assert.Equal(ModelFamily.Detector, spec.Family);
        Assert.Contains("\"threshold\"", facts);
        var (net, _) = GeneratorCheckpoint.LoadAny(checkpoint);
        using (net) Assert.IsType<DamageNet>(net);
    }
}
