using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Training;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class TrainingTests
{
    [Fact]
    public void PixelLossFallsOverAFewSteps()
    {
        using var run = new TinyRun();
        using var trainer = run.Trainer(run.Options() with { LearningRateG = 2e-3 });
        CenterBatch batch = CenterBatchLoader.Make(trainer.Sampler, 0, 4, 0, run.Spec.Hole.Fill);
        var losses = Enumerable.Range(0, 40).Select(_ => trainer.Step(batch).Pixel).ToList();
        Assert.True(losses.TakeLast(5).Average() < 0.9 * losses.Take(5).Average(), string.Join(", ", losses.Select(l => l.ToString("F3"))));
    }

    [Fact]
    public void ResumedRunRepeatsTheUninterruptedLosses()
    {
        using var run = new TinyRun();
        var uninterrupted = new List<StepReport>();
        using (var a = run.Trainer(run.Options() with { MaxSteps = 6, CheckpointInterval = 3 }))
            a.Run(CancellationToken.None, uninterrupted.Add);

        TrainOptions options = run.Options() with { MaxSteps = 3, CheckpointInterval = 3 };
        using (var b = run.Trainer(options))
            Assert.Equal(RunOutcome.Completed, b.Run(CancellationToken.None));
        var resumed = new List<StepReport>();
        using (var c = run.Trainer(options with { MaxSteps = 6 }))
        {
            c.Restore(new RunFolder(options.OutDir).Latest()!);
            Assert.Equal(3, c.CompletedSteps);
            c.Run(CancellationToken.None, resumed.Add);
        }
        Assert.Equal(new long[] { 4, 5, 6 }, resumed.Select(r => r.Step));
        Assert.Equal(uninterrupted.Skip(3).Select(r => r.Losses), resumed.Select(r => r.Losses));
    }

    [Fact]
    public void CancellationWritesACheckpointAndStops()
    {
        using var run = new TinyRun();
        using var cancel = new CancellationTokenSource();
        TrainOptions options = run.Options() with { MaxSteps = 50 };
        using var trainer = run.Trainer(options);
        RunOutcome outcome = trainer.Run(cancel.Token, r => { if (r.Step == 2) cancel.Cancel(); });
        Assert.Equal(RunOutcome.Interrupted, outcome);
        var checkpoints = new RunFolder(options.OutDir).StepCheckpoints();
        Assert.Equal(2, Assert.Single(checkpoints).Step);
    }

    [Fact]
    public void GeneratorCheckpointRoundTripsExactly()
    {
        using var run = new TinyRun();
        TrainOptions options = run.Options();
        using var trainer = run.Trainer(options);
        CenterBatch batch = CenterBatchLoader.Make(trainer.Sampler, 0, 4, 0, run.Spec.Hole.Fill);
        for (int i = 0; i < 3; i++) trainer.Step(CenterBatchLoader.Make(trainer.Sampler, i, 4, 0, run.Spec.Hole.Fill));
        Directory.CreateDirectory(options.OutDir);
        string path = Path.Combine(options.OutDir, "model.safetensors");
        GeneratorCheckpoint.Save(path, trainer.Generator, trainer.TrainingFactsJson(1));

        var (loaded, facts) = GeneratorCheckpoint.Load(path);
        using (loaded)
        {
            Assert.Contains("\"steps\":3", facts);
            Assert.Equal(run.Spec.ToJson(), loaded.Spec.ToJson());
            using var input = tensor(batch.Input, [4, 3, 32, 32]);
            trainer.Generator.eval();
            loaded.eval();
            using var noGrad = no_grad();
            using var expected = trainer.Generator.forward(input);
            using var actual = loaded.forward(input);
            Assert.True(expected.equal(actual).all().item<bool>());
        }
    }

    [Fact]
    public void RunWritesMetricsSamplesValidationAndBest()
    {
        using var run = new TinyRun();
        TrainOptions options = run.Options() with { MaxSteps = 4, SampleInterval = 2, ValidationInterval = 2, CheckpointInterval = 2, KeepLast = 1 };
        using (var trainer = run.Trainer(options))
        {
            trainer.Run(CancellationToken.None);
            Assert.NotNull(trainer.LastValidation);
            Assert.True(trainer.LastValidation!.Images > 0);
            Assert.InRange(trainer.LastValidation.Psnr, 1, 60);
            Assert.InRange(trainer.LastValidation.Ssim, -1, 1);
        }
        var folder = new RunFolder(options.OutDir);
        Assert.Equal(4, Assert.Single(folder.StepCheckpoints()).Step);
        Assert.True(File.Exists(Path.Combine(folder.BestDir, GeneratorCheckpoint.FileName)));
        Assert.Equal(2, Directory.GetFiles(folder.SamplesDir, "*.png").Length);
        Assert.NotEmpty(Directory.GetFiles(folder.TensorBoardDir, "*", SearchOption.AllDirectories));
        string[] lines = File.ReadAllLines(folder.MetricsPath);
        Assert.Equal(4, lines.Count(l => l.Contains("\"g_loss\"")));
        Assert.Equal(2, lines.Count(l => l.Contains("\"validation\"")));
        Assert.All(lines.Where(l => l.Contains("g_loss")), l => Assert.Contains("data_wait", l));
    }

    [Fact]
    public void AFailedCheckpointWriteKeepsThePreviousOne()
    {
        using var run = new TinyRun();
        var folder = new RunFolder(run.Options().OutDir);
        folder.Create();
        folder.SaveStep(1, 3, dir =>
        {
            File.WriteAllText(Path.Combine(dir, GeneratorCheckpoint.FileName), "one");
            File.WriteAllText(Path.Combine(dir, TrainerState.FileName), "one");
        });
        Assert.Throws<IOException>(() => folder.SaveStep(2, 3, dir =>
        {
            File.WriteAllText(Path.Combine(dir, GeneratorCheckpoint.FileName), "partial");
            throw new IOException("No space left on device");
        }));
        var (step, kept) = Assert.Single(folder.StepCheckpoints());
        Assert.Equal(1, step);
        Assert.Equal("one", File.ReadAllText(Path.Combine(kept, GeneratorCheckpoint.FileName)));
        Assert.Single(Directory.GetDirectories(folder.CheckpointsDir)); // no temporary folder left behind
    }

    [Fact]
    public void MetricsAfterTheRestoredStepAreDropped()
    {
        using var run = new TinyRun();
        TrainOptions options = run.Options() with { MaxSteps = 2, CheckpointInterval = 2 };
        using (var a = run.Trainer(options)) a.Run(CancellationToken.None);
        var folder = new RunFolder(options.OutDir);
        File.AppendAllText(folder.MetricsPath, "{\"step\":3,\"g_loss\":1}\n{\"step\":4,\"g_lo");
        using var b = run.Trainer(options);
        b.Restore(folder.Latest()!);
        b.TrimMetricsAfterRestore();
        Assert.DoesNotContain(File.ReadAllLines(folder.MetricsPath), l => l.Contains("\"step\":3") || l.Contains("\"step\":4"));
    }

    [Fact]
    public void HoleMetricsAreRightOnKnownCases()
    {
        using var truth = zeros(2, 3, 16, 16);
        var perfect = HoleMetrics.Sums(truth, truth);
        Assert.Equal(0, perfect.L1Sum, 6);
        Assert.Equal(2, perfect.SsimSum, 4);
        Assert.Equal(200, perfect.PsnrSum, 1); // clamped at 1e-10 MSE = 100 dB per image

        // Off by one 8-bit level (1/255) everywhere, in [-1, 1] terms 2/255.
        using var black = full(2, 3, 16, 16, -1f);
        using var shifted = black + 2.0 / 255;
        var off = HoleMetrics.Sums(shifted, black);
        Assert.Equal(2 * 20 * Math.Log10(255), off.PsnrSum, 2);
        Assert.Equal(2.0 / 255, off.L1Sum, 5);
    }
}
