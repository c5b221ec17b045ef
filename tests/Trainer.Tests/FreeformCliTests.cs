using System.Text.Json.Nodes;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Cli;

namespace Inpaint.Trainer.Tests;

public class FreeformCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainerCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void AFreeformRunResumesExactlyAndRefusesEveryOptionThatMustNotChange()
    {
        using var photos = new TestPhotos(count: 6, subfolder: "pkg");
        using var validation = new TestPhotos(count: 2);
        string runDir = photos.Root + "-freeform";
        string[] start =
        [
            "train", "--data", photos.Root, "--val-data", validation.Root, "--out", runDir, "--arch", "freeform-tiny", "--batch-size", "2",
            "--max-steps", "4", "--checkpoint-interval", "2", "--val-interval", "2", "--sample-interval", "2", "--log-interval", "1",
            "--mask-mix", "freeform=1,text=1", "--weighting", "sqrtgroup", "--lr-g", "1e-3", "--seed", "5",
        ];
        string straightDir = photos.Root + "-straight";
        try
        {
            // Uninterrupted: 4 steps. Interrupted: 2 steps, then resumed to 4 through the CLI. (A constant learning rate:
            // a cosine schedule follows --max-steps, which a resume may change.)
            var straight = Run(start.Select(a => a == runDir ? straightDir : a).ToArray());
            Assert.True(straight.Code == 0, straight.Err);
            var first = Run(start.Select(a => a == "4" ? "2" : a).ToArray());
            Assert.True(first.Code == 0, first.Err);
            Assert.Contains("validation, pre-fill alone", first.Out);

            foreach (string[] changed in new[]
                     {
                         new[] { "--arch", "freeform" }, ["--seed", "6"], ["--batch-size", "3"], ["--mask-mix", "scratch=1"], ["--weighting", "uniform"],
                         ["--val-data", photos.Root], ["--schedule", "cosine"], ["--data", validation.Root],
                     })
            {
                var refused = Run(["train", "--resume", runDir, .. changed]);
                Assert.True(refused.Code == ExitCodes.BadInput, $"{changed[0]}: {refused.Err}");
                Assert.Contains("does not match", refused.Err);
            }

            var resumed = Run("train", "--resume", runDir, "--max-steps", "4");
            Assert.True(resumed.Code == 0, resumed.Err);
            Assert.Equal(Losses(straightDir).Skip(2), Losses(runDir).Skip(2));
            Assert.Single(Directory.GetFiles(Path.Combine(runDir, "samples")), f => f.EndsWith("step-00000004.png"));
            var (generator, facts) = GeneratorCheckpoint.LoadAny(Path.Combine(runDir, "best", GeneratorCheckpoint.FileName));
            generator.Dispose();
            var validationFacts = JsonNode.Parse(facts)!["validation"]!;
            Assert.NotNull(validationFacts["scratch"]!["prefill_psnr"]);
            // "freeform" was the strokes' old word: still read, written as "strokes".
            Assert.Equal("strokes=1,text=1", JsonNode.Parse(facts)!["mask_mix"]!.GetValue<string>());
        }
        finally
        {
            foreach (string d in new[] { runDir, straightDir })
                try { Directory.Delete(d, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void ProfileReportsEveryPhasePerThreadCountAndBothPrecisions()
    {
        using var photos = new TestPhotos(count: 4);
        var (code, output, error) = Run("profile", "--data", photos.Root, "--arch", "freeform-tiny", "--threads", "1", "--steps", "1", "--warmup", "0", "--batch-size", "2");
        Assert.True(code == 0, error);
        Assert.Contains("threads 1: inputs", output);
        foreach (string part in new[] { "forward", "loss", "backward", "optimiser", "img/s", "crops and masks", "pre-fill", "of a step", "in Float32", "in BFloat16" })
            Assert.Contains(part, output);

        var refused = Run("profile", "--data", photos.Root, "--threads", "0,x");
        Assert.Equal(ExitCodes.BadInput, refused.Code);
        Assert.Contains("--threads must be a list of whole numbers from 1 to 256", refused.Err);
        refused = Run("profile", "--data", photos.Root, "--arch", "compact");
        Assert.Equal(ExitCodes.BadInput, refused.Code);
        Assert.Contains("not a trainable freeform architecture", refused.Err);
    }

    private static List<string> Losses(string runDir) =>
        File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).Where(n => n["g_loss"] is not null)
            .Select(n => $"{n["step"]}:{n["g_loss"]}:{n["g_pixel"]}").ToList();
}
