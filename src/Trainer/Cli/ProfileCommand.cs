using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using Inpaint.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Cli;

/// <summary>
/// <c>inpaint-train profile</c>: where a freeform training step's time goes (making the batch, pre-fill, forward
/// and loss, backward, optimiser) for several thread counts, and what the generator's forward and backward cost in
/// bfloat16 against float32, so training-speed choices rest on numbers (docs/trainer.md).
/// </summary>
internal static class ProfileCommand
{
    public static Command Build(TextWriter stdout)
    {
        var data = new Option<string>("--data") { Description = "Folder of training photos (e.g. data/train)", Required = true };
        var arch = new Option<string>("--arch") { Description = "Freeform architecture or spec file", DefaultValueFactory = _ => Architectures.Freeform };
        var threads = new Option<string>("--threads") { Description = "Torch thread counts to compare, e.g. 1,2", DefaultValueFactory = _ => "1,2" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per thread count (after --warmup steps)", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size", "-b") { Description = "Images per step", DefaultValueFactory = _ => 8 };
        var noBf16 = new Option<bool>("--no-bfloat16") { Description = "Skip the bfloat16 comparison" };
        var command = new Command("profile", "Measures where a freeform training step's time goes, per thread count, and bfloat16 against float32")
        {
            data, arch, threads, steps, warmup, batch, noBf16,
        };
        command.SetAction(p =>
        {
            int[] threadCounts = ParseList(p.GetValue(threads)!, "--threads");
            int timed = Positive(p.GetValue(steps), "--steps"), warm = Math.Max(0, p.GetValue(warmup)), n = Positive(p.GetValue(batch), "--batch-size");
            ModelSpec spec = Architectures.Resolve(p.GetValue(arch)!);
            if (spec.Family != ModelFamily.Freeform || spec.Layers.Count == 0) throw new UserError($"'{spec.Architecture}' is not a trainable freeform architecture");
            DataSplit split = ImageFolder.Scan(p.GetValue(data)!, new PhotoFile(), spec.ImageSize, 0, 0);
            string scratch = Directory.CreateTempSubdirectory("inpaint-profile-").FullName;
            try
            {
                var options = new TrainOptions
                {
                    DataDir = p.GetValue(data)!, OutDir = scratch, Architecture = spec.Architecture, BatchSize = n, AdversarialWeight = 0,
                    LearningRateG = 5e-4, Beta1 = 0.9, Weighting = PhotoWeighting.SqrtGroup,
                };
                using var trainer = new FreeformTrainer(options, spec, split);
                stdout.WriteLine($"{spec.Architecture}: {spec.ParameterCount:N0} parameters, batch {n} of {spec.ImageSize}x{spec.ImageSize}, {timed} steps after {warm} warm-up; median ms per step");
                foreach (int t in threadCounts) stdout.WriteLine(TimeSteps(trainer, t, warm, timed));
                if (!p.GetValue(noBf16)) CompareBfloat16(stdout, spec, n, timed, warm);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Times <paramref name="timed"/> steps at <paramref name="threads"/> threads after <paramref name="warm"/> untimed ones; one line of phases.</summary>
    private static string TimeSteps(FreeformTrainer trainer, int threads, int warm, int timed)
    {
        torch.set_num_threads(threads);
        var phases = new StepPhases();
        trainer.Phases = phases;
        Stopwatch dataClock = new(), fillClock = new();
        for (int i = 0; i < warm + timed; i++)
        {
            if (i == warm)
            {
                phases.Reset();
                dataClock.Reset();
                fillClock.Reset();
            }
            dataClock.Start();
            FreeformBatch b = trainer.MakeCrops(i);
            dataClock.Stop();
            fillClock.Start();
            trainer.Prefill(b);
            fillClock.Stop();
            using var scope = NewDisposeScope();
            trainer.Step(b, out _);
        }
        trainer.Phases = null;
        int n = trainer.Options.BatchSize;
        double step = phases.MedianStepMs;
        string parts = string.Join(", ", phases.Names.Select(name => Ms($"{name} {{0:F1}}", phases.MedianMs(name))));
        double fill = fillClock.Elapsed.TotalMilliseconds / timed;
        return Ms($"threads {threads}: {parts}; step {{0:F1}} = ", step) + Ms("{0:F1} img/s", 1000.0 * n / step)
               + Ms("; on the batch-making thread while training (means): crops and masks {0:F1}, ", dataClock.Elapsed.TotalMilliseconds / timed)
               + Ms("pre-fill {0:F1} ", fill) + Ms("({0:P1} of a step)", fill / step);
    }

    /// <summary>
    /// The generator's forward and backward on the same input in float32 and in bfloat16 (TorchSharp converts a
    /// module with <c>bfloat16()</c>; it exposes no autocast and no channels-last memory format).
    /// </summary>
    private static void CompareBfloat16(TextWriter stdout, ModelSpec spec, int n, int timed, int warm)
    {
        int s = spec.ImageSize;
        foreach (ScalarType type in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var generator = new FreeformGenerator(spec);
            generator.to(type);
            var clock = new Stopwatch();
            for (int i = 0; i < warm + timed; i++)
            {
                using var scope = NewDisposeScope();
                Tensor image = torch.rand([n, 3, s, s]).to(type);
                Tensor hole = torch.rand([n, 1, s, s]).gt(0.8).to(type);
                if (i == warm) clock.Reset();
                clock.Start();
                generator.Residual(image, hole).abs().mean().backward();
                clock.Stop();
                generator.zero_grad();
            }
            stdout.WriteLine(Ms($"generator forward + backward in {type}, {torch.get_num_threads()} threads: {{0:F1}} ms per step", clock.Elapsed.TotalMilliseconds / timed));
        }
    }

    private static string Ms(string format, double value) => string.Format(CultureInfo.InvariantCulture, format, value);

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new UserError($"{name} must be at least 1 (got {value})");

    private static int[] ParseList(string text, string name)
    {
        try
        {
            int[] values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (values.Length > 0 && values.All(v => v is >= 1 and <= 256)) return values;
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }
        throw new UserError($"{name} must be a list of whole numbers from 1 to 256, e.g. 1,2 (got '{text}')");
    }
}
