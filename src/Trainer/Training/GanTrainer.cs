using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Masks;
using Inpaint.Trainer.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>
/// The article's context-encoder GAN training: per step, a generator update on
/// <c>pixelWeight * L1(patch, truth) + adversarialWeight * MSE(D(patch), 1)</c>, then a discriminator update on
/// <c>(MSE(D(truth), 1) + MSE(D(patch.detach()), 0)) / 2</c>, both with Adam. Checkpoints, validation,
/// sample grids and logs go to a <see cref="RunFolder"/>.
/// </summary>
public sealed class GanTrainer : IDisposable
{
    private readonly TrainOptions options;
    private readonly DataSplit split;
    private readonly RunFolder run;
    private readonly Device device;
    private readonly Action<string> log;
    private readonly PhotoCache cache;
    private readonly TrainingSampler sampler;
    private readonly Tensor? patchWeights;
    private ValidationSet? validation;
    private SummaryWriter? tensorboard;
    private long step;
    private double bestPsnr = double.NaN;
    private long bestStep;
    private double trainSecondsBefore;
    private HoleQuality? lastValidation;

    // Loss weights as Scalars held for the trainer's lifetime (see SpecBlock on TorchSharp's temporary Scalars).
    private readonly Scalar adversarialWeight, pixelWeight, half;

    /// <summary>Builds the networks (initialised with <see cref="TrainOptions.Seed"/>) and the data pipeline.</summary>
    public GanTrainer(TrainOptions options, ModelSpec spec, DataSplit split, Action<string>? log = null)
    {
        this.options = options;
        this.split = split;
        this.log = log ?? (_ => { });
        run = new RunFolder(options.OutDir);
        device = ResolveDevice(options.Device);
        Spec = spec;

        torch.manual_seed(options.Seed);
        Generator = new InpaintGenerator(spec);
        Discriminator = new PatchDiscriminator();
        WeightInit.Apply(Generator);
        WeightInit.Apply(Discriminator);
        Generator.to(device);
        Discriminator.to(device);
        OptimizerG = optim.Adam(Generator.parameters(), options.LearningRateG, options.Beta1, options.Beta2);
        OptimizerD = optim.Adam(Discriminator.parameters(), options.LearningRateD, options.Beta1, options.Beta2);
        adversarialWeight = options.AdversarialWeight.ToScalar();
        pixelWeight = options.PixelWeight.ToScalar();
        half = 0.5.ToScalar();

        int minScale = options.MinScale > 0 ? options.MinScale : spec.ImageSize;
        int maxScale = options.MaxScale > 0 ? options.MaxScale : 3 * spec.ImageSize;
        cache = new PhotoCache(new PhotoDecoder(), maxScale, options.CacheBytes);
        sampler = new TrainingSampler(split.Train, cache, new SamplerOptions
        {
            ImageSize = spec.ImageSize, MinScale = minScale, MaxScale = maxScale, Flip = options.Flip,
            Mask = options.Mask, HoleSize = spec.Hole.Size, Seed = options.Seed,
        }, this.log);
        if (spec.Hole.Overlap > 0)
        {
            float[] w = HoleMask.PatchWeights(spec.Hole.Size, spec.Hole.Overlap, (float)options.OverlapWeight);
            patchWeights = torch.tensor(w, [1, 1, spec.Hole.Size, spec.Hole.Size]).to(device);
        }
    }

    /// <summary>The generator's spec.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The generator being trained.</summary>
    public InpaintGenerator Generator { get; }

    /// <summary>The discriminator being trained.</summary>
    public PatchDiscriminator Discriminator { get; }

    /// <summary>The generator's optimiser.</summary>
    public Adam OptimizerG { get; }

    /// <summary>The discriminator's optimiser.</summary>
    public Adam OptimizerD { get; }

    /// <summary>Steps completed.</summary>
    public long CompletedSteps => step;

    /// <summary>Training samples per epoch.</summary>
    public int EpochLength => sampler.EpochLength;

    /// <summary>Steps the run will make in all.</summary>
    public long TotalSteps
    {
        get
        {
            long byEpochs = (long)Math.Ceiling((double)options.Epochs * sampler.EpochLength / options.BatchSize);
            return options.MaxSteps > 0 ? Math.Min(options.MaxSteps, byEpochs) : byEpochs;
        }
    }

    /// <summary>The most recent validation result, if any.</summary>
    public HoleQuality? LastValidation => lastValidation;

    /// <summary>Sampler used for training batches (exposed for tests and benchmarks).</summary>
    public TrainingSampler Sampler => sampler;

    /// <summary>Maps <c>cpu</c>/<c>cuda</c> to a device, refusing CUDA where no CUDA libtorch is loaded.</summary>
    /// <exception cref="UserInputException">Unknown device, or CUDA unavailable.</exception>
    public static Device ResolveDevice(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new UserInputException(
                        "--device cuda: no CUDA device is usable. This build links TorchSharp-cpu (libtorch 2.10 CPU); " +
                        "on a GPU machine reference a CUDA libtorch package (e.g. libtorch-cuda-12.8-linux-x64) instead, or use --device cpu.");
                return CUDA;
            default:
                throw new UserInputException($"unknown device '{name}' (use cpu or cuda)");
        }
    }

    /// <summary>One optimisation step of both networks on <paramref name="batch"/>.</summary>
    public StepLosses Step(Batch batch, Tensor? generatedOut = null)
    {
        using var scope = NewDisposeScope();
        int n = batch.Size, s = batch.ImageSize, p = batch.HoleSize;
        Tensor input = torch.tensor(batch.Input, [n, 3, s, s]).to(device);
        Tensor truth = torch.tensor(batch.Truth, [n, 3, p, p]).to(device);
        Generator.train();
        Discriminator.train();

        OptimizerG.zero_grad();
        Tensor fake = Generator.forward(input);
        Tensor scoreFake = Discriminator.forward(fake);
        Tensor adversarial = nn.functional.mse_loss(scoreFake, ones_like(scoreFake));
        Tensor pixel = patchWeights is null
            ? nn.functional.l1_loss(fake, truth)
            : ((fake - truth).abs() * patchWeights).mean();
        Tensor generatorLoss = adversarial.mul(adversarialWeight).add(pixel.mul(pixelWeight));
        generatorLoss.backward();
        OptimizerG.step();

        OptimizerD.zero_grad();
        Tensor scoreReal = Discriminator.forward(truth);
        Tensor scoreDetached = Discriminator.forward(fake.detach());
        Tensor discriminatorLoss = nn.functional.mse_loss(scoreReal, ones_like(scoreReal))
            .add(nn.functional.mse_loss(scoreDetached, zeros_like(scoreDetached))).mul(half);
        discriminatorLoss.backward();
        OptimizerD.step();

        generatedOut?.copy_(fake.detach());
        step = batch.Step + 1;
        return new StepLosses(generatorLoss.item<float>(), adversarial.item<float>(), pixel.item<float>(), discriminatorLoss.item<float>());
    }

    /// <summary>Hole quality of the generator on the held-out photos with the centre hole.</summary>
    public HoleQuality Validate()
    {
        validation ??= ValidationSet.Build(split.Validation, cache, Spec, log);
        if (validation.Count == 0) return new HoleQuality(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        int s = Spec.ImageSize, p = Spec.Hole.Size, o = Spec.Hole.Overlap;
        int imageFloats = 3 * s * s, patchFloats = 3 * p * p;
        double psnr = 0, ssim = 0, l1 = 0, l2 = 0;
        Generator.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < validation.Count; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(options.BatchSize, validation.Count - start);
                Tensor input = torch.tensor(validation.Input.AsSpan(start * imageFloats, n * imageFloats).ToArray(), [n, 3, s, s]).to(device);
                Tensor truth = torch.tensor(validation.Truth.AsSpan(start * patchFloats, n * patchFloats).ToArray(), [n, 3, p, p]).to(device);
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

    /// <summary>
    /// Trains until the last step or until <paramref name="cancellation"/> fires (then a checkpoint is written).
    /// </summary>
    /// <exception cref="UserInputException">A checkpoint could not be written (e.g. the disk is full).</exception>
    public RunOutcome Run(CancellationToken cancellation, Action<StepReport>? progress = null)
    {
        run.Create();
        long total = TotalSteps;
        tensorboard ??= torch.utils.tensorboard.SummaryWriter(run.TensorBoardDir);
        using var metrics = new StreamWriter(run.MetricsPath, append: true) { AutoFlush = true };
        using var loader = new BatchLoader(sampler, options.BatchSize, Spec.Hole.Overlap, Spec.Hole.Fill, step, options.Workers, options.Prefetch);
        int p = Spec.Hole.Size;
        long lastSaved = step;
        var session = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        double windowWaitStart = 0;
        long windowSteps = 0;
        int reportEvery = Math.Max(1, options.LogInterval);
        int validateEvery = options.ValidationInterval > 0 ? options.ValidationInterval
            : Math.Max(1, (int)Math.Ceiling((double)sampler.EpochLength / options.BatchSize));

        while (step < total)
        {
            if (cancellation.IsCancellationRequested)
            {
                SaveCheckpoint(session.Elapsed.TotalSeconds);
                log($"interrupted: checkpoint written at step {step}; continue with --resume {run.Root}");
                return RunOutcome.Interrupted;
            }
            Batch batch;
            try
            {
                batch = loader.Next(cancellation);
            }
            catch (OperationCanceledException)
            {
                continue; // the loop head writes the checkpoint
            }
            bool sample = options.SampleInterval > 0 && (step + 1) % options.SampleInterval == 0;
            using Tensor? generated = sample ? zeros(batch.Size, 3, p, p) : null;
            StepLosses losses = Step(batch, generated);
            windowSteps++;
            if (!double.IsFinite(losses.Generator) || !double.IsFinite(losses.Discriminator))
                throw new InvalidOperationException($"the losses became {losses.Generator}/{losses.Discriminator} at step {step}: training diverged (lower the learning rate?)");

            if (step % reportEvery == 0 || step == total)
            {
                double seconds = window.Elapsed.TotalSeconds;
                double wait = loader.WaitSeconds - windowWaitStart;
                double speed = windowSteps * options.BatchSize / Math.Max(seconds, 1e-9);
                var report = new StepReport(step, total, (double)step * options.BatchSize / sampler.EpochLength, losses, speed,
                    wait / Math.Max(seconds, 1e-9), (total - step) * options.BatchSize / Math.Max(speed, 1e-9),
                    Environment.WorkingSet / 1048576.0);
                WriteStepMetrics(metrics, report);
                progress?.Invoke(report);
                window.Restart();
                windowWaitStart = loader.WaitSeconds;
                windowSteps = 0;
            }
            if (sample && generated is not null) WriteSample(batch, generated);
            if (step % validateEvery == 0 || step == total) RunValidation(metrics, session.Elapsed.TotalSeconds);
            if (step % options.CheckpointInterval == 0 || step == total)
            {
                SaveCheckpoint(session.Elapsed.TotalSeconds);
                lastSaved = step;
            }
        }
        if (lastSaved != step) SaveCheckpoint(session.Elapsed.TotalSeconds);
        return RunOutcome.Completed;
    }

    /// <summary>Restores the state of a checkpoint folder (weights, optimisers, RNG, step, best validation).</summary>
    /// <exception cref="UserInputException">The checkpoint belongs to another architecture or is damaged.</exception>
    public void Restore(string checkpointDir)
    {
        string modelPath = Path.Combine(checkpointDir, GeneratorCheckpoint.FileName);
        try
        {
            var (saved, _) = GeneratorCheckpoint.ReadSpec(modelPath);
            if (saved.ToJson() != Spec.ToJson())
                throw new UserInputException(
                    $"the checkpoint in '{checkpointDir}' is a '{saved.Architecture}' model that differs from the '{Spec.Architecture}' spec of this run");
            var (tensors, _) = SafeTensors.Read(modelPath);
            try
            {
                GeneratorCheckpoint.LoadWeights(Generator, tensors, modelPath);
            }
            finally
            {
                foreach (Tensor t in tensors.Values) t.Dispose();
            }
            using FileStream stream = File.OpenRead(Path.Combine(checkpointDir, TrainerState.FileName));
            var scalars = TrainerState.Read(stream, Discriminator, OptimizerG, OptimizerD);
            step = scalars.Step;
            bestPsnr = scalars.BestPsnr;
            bestStep = scalars.BestStep;
            trainSecondsBefore = scalars.TrainSeconds;
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"cannot resume from '{checkpointDir}': {e.Message}");
        }
    }

    /// <summary>Drops metrics.jsonl lines written after the restored step (they will be recomputed).</summary>
    public void TrimMetricsAfterRestore()
    {
        if (!File.Exists(run.MetricsPath)) return;
        var kept = File.ReadAllLines(run.MetricsPath).Where(line =>
        {
            try
            {
                return JsonNode.Parse(line)?["step"]?.GetValue<long>() is long s && s <= step;
            }
            catch (JsonException)
            {
                return false; // a line cut short by a crash
            }
        }).ToList();
        AtomicFile.WriteAllText(run.MetricsPath, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    /// <summary>The training facts stored in checkpoints and model cards.</summary>
    public string TrainingFactsJson(double sessionSeconds)
    {
        var facts = new JsonObject
        {
            ["trainer"] = "inpaint-train",
            ["data"] = new JsonObject
            {
                ["folder"] = Path.GetFullPath(options.DataDir),
                ["train_images"] = split.Train.Count,
                ["validation_images"] = split.Validation.Count,
                ["validation"] = new JsonArray(split.Validation.Select(v => (JsonNode)v.RelativePath).ToArray()),
                ["skipped_files"] = split.Skipped.Count,
            },
            ["steps"] = step,
            ["epochs"] = Math.Round((double)step * options.BatchSize / sampler.EpochLength, 3),
            ["batch_size"] = options.BatchSize,
            ["seed"] = options.Seed,
            ["mask"] = options.Mask.ToString().ToLowerInvariant(),
            ["fill"] = options.Fill,
            ["device"] = options.Device,
            ["train_seconds"] = Math.Round(trainSecondsBefore + sessionSeconds, 1),
            ["saved_utc"] = DateTime.UtcNow.ToString("O"),
        };
        if (lastValidation is { Images: > 0 } v)
            facts["validation"] = new JsonObject
            {
                ["mask"] = $"center:{Spec.Hole.Size}", ["images"] = v.Images, ["step"] = step,
                ["psnr"] = Math.Round(v.Psnr, 4), ["ssim"] = Math.Round(v.Ssim, 5), ["l1"] = Math.Round(v.L1, 6), ["l2"] = Math.Round(v.L2, 7),
            };
        if (!double.IsNaN(bestPsnr)) facts["best_validation"] = new JsonObject { ["psnr"] = Math.Round(bestPsnr, 4), ["step"] = bestStep };
        return facts.ToJsonString();
    }

    private void RunValidation(StreamWriter metrics, double sessionSeconds)
    {
        var timer = Stopwatch.StartNew();
        HoleQuality q = Validate();
        double seconds = timer.Elapsed.TotalSeconds;
        if (q.Images == 0) return;
        lastValidation = q;
        var row = new JsonObject
        {
            ["kind"] = "validation", ["step"] = step, ["psnr"] = q.Psnr, ["ssim"] = q.Ssim, ["l1"] = q.L1, ["l2"] = q.L2,
            ["images"] = q.Images, ["seconds"] = Math.Round(seconds, 3),
        };
        metrics.WriteLine(row.ToJsonString());
        int s = (int)Math.Min(step, int.MaxValue);
        tensorboard?.add_scalar("validation/psnr", (float)q.Psnr, s);
        tensorboard?.add_scalar("validation/ssim", (float)q.Ssim, s);
        tensorboard?.add_scalar("validation/l1", (float)q.L1, s);
        log($"validation at step {step}: hole PSNR {q.Psnr:F2} dB, SSIM {q.Ssim:F4}, L1 {q.L1:F4}, L2 {q.L2:F5} ({q.Images} crops, {seconds:F1} s)");
        if (double.IsNaN(bestPsnr) || q.Psnr > bestPsnr)
        {
            bestPsnr = q.Psnr;
            bestStep = step;
            try
            {
                Directory.CreateDirectory(run.BestDir);
                GeneratorCheckpoint.Save(Path.Combine(run.BestDir, GeneratorCheckpoint.FileName), Generator, TrainingFactsJson(sessionSeconds));
            }
            catch (IOException e)
            {
                throw new UserInputException($"could not write the best checkpoint in '{run.BestDir}' ({e.Message}); the previous one is intact");
            }
        }
    }

    private void SaveCheckpoint(double sessionSeconds)
    {
        string facts = TrainingFactsJson(sessionSeconds);
        var scalars = new TrainerState.Scalars(step, Spec.Architecture, bestPsnr, bestStep, trainSecondsBefore + sessionSeconds);
        try
        {
            run.SaveStep(step, options.KeepLast, dir =>
            {
                AtomicFile.Write(Path.Combine(dir, GeneratorCheckpoint.FileName), s => GeneratorCheckpoint.Write(s, Generator, facts));
                AtomicFile.Write(Path.Combine(dir, TrainerState.FileName), s => TrainerState.Write(s, scalars, Discriminator, OptimizerG, OptimizerD));
            });
        }
        catch (IOException e)
        {
            throw new UserInputException($"could not write the checkpoint for step {step} in '{run.CheckpointsDir}' ({e.Message}); the previous checkpoints are intact");
        }
    }

    private void WriteStepMetrics(StreamWriter metrics, StepReport r)
    {
        var row = new JsonObject
        {
            ["step"] = r.Step, ["epoch"] = Math.Round(r.Epoch, 4),
            ["g_loss"] = r.Losses.Generator, ["g_adv"] = r.Losses.Adversarial, ["g_pixel"] = r.Losses.Pixel, ["d_loss"] = r.Losses.Discriminator,
            ["imgs_per_s"] = Math.Round(r.ImagesPerSecond, 3), ["data_wait"] = Math.Round(r.DataWaitShare, 4),
            ["working_set_mib"] = Math.Round(r.WorkingSetMiB, 1),
        };
        metrics.WriteLine(row.ToJsonString());
        int s = (int)Math.Min(r.Step, int.MaxValue);
        tensorboard?.add_scalar("loss/generator", (float)r.Losses.Generator, s);
        tensorboard?.add_scalar("loss/adversarial", (float)r.Losses.Adversarial, s);
        tensorboard?.add_scalar("loss/pixel", (float)r.Losses.Pixel, s);
        tensorboard?.add_scalar("loss/discriminator", (float)r.Losses.Discriminator, s);
        tensorboard?.add_scalar("speed/imgs_per_s", (float)r.ImagesPerSecond, s);
        tensorboard?.add_scalar("speed/data_wait_share", (float)r.DataWaitShare, s);
    }

    private void WriteSample(Batch batch, Tensor generated)
    {
        float[] patches = generated.cpu().data<float>().ToArray();
        using var grid = SampleGrid.Render(batch, patches, rows: 6);
        string path = Path.Combine(run.SamplesDir, $"step-{step:D8}.png");
        AtomicFile.Write(path, s => grid.Save(s, new SixLabors.ImageSharp.Formats.Png.PngEncoder()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        tensorboard = null; // SummaryWriter flushes per event and holds no native handle
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
}
