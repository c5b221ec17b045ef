using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Cli;

namespace Inpaint.Trainer.Tests;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = TrainerCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertBadInput((int Code, string Out, string Err) result, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, result.Code);
        Assert.Contains(expected, result.Err);
        Assert.DoesNotContain("   at ", result.Err); // no stack trace
        Assert.Single(result.Err.Trim().Split('\n'));
    }

    [Fact]
    public void UsageErrorsExitWithTwo()
    {
        Assert.Equal(ExitCodes.Usage, Run("train", "--no-such-option").Code);
        Assert.Equal(ExitCodes.Usage, Run("train", "--batch-size", "many").Code);
        Assert.Equal(ExitCodes.Usage, Run("train", "--fill", "purple").Code);
    }

    [Fact]
    public void MissingOrEmptyDataIsBadInput()
    {
        AssertBadInput(Run("train", "--out", "/tmp/x"), "--data is required");
        AssertBadInput(Run("train", "--data", "/nonexistent/photos", "--out", "/tmp/x", "--arch", "tiny"), "does not exist");
        using var empty = new TestPhotos(count: 0);
        AssertBadInput(Run("train", "--data", empty.Root, "--out", Path.Combine(empty.Root, "run"), "--arch", "tiny"), "holds no PNG");
    }

    [Fact]
    public void UnknownArchitectureAndCudaAreBadInput()
    {
        using var photos = new TestPhotos(count: 3);
        AssertBadInput(Run("train", "--data", photos.Root, "--out", Path.Combine(photos.Root, "r"), "--arch", "huge"), "unknown architecture 'huge'");
        AssertBadInput(Run("train", "--data", photos.Root, "--out", Path.Combine(photos.Root, "r"), "--arch", "tiny", "--device", "cuda"), "no CUDA device");
    }

    [Fact]
    public void UnwritableOutputIsBadInput()
    {
        using var photos = new TestPhotos(count: 3);
        string file = Path.Combine(photos.Root, "photo00.png");
        AssertBadInput(Run("train", "--data", photos.Root, "--out", Path.Combine(file, "run"), "--arch", "tiny", "--max-steps", "1"),
            "cannot write to the output folder");
    }

    [Fact]
    public void ATruncatedJpegIsNamedOnceAndTheOthersTrain()
    {
        using var photos = new TestPhotos(count: 4);
        TestPhotos.WriteTruncatedJpeg(Path.Combine(photos.Root, "cut.jpg"), 80, 64, 11);
        string runDir = photos.Root + "-run";
        try
        {
            // Enough steps for every photo to be drawn; no validation split, so the cut photo is a training one.
            var run = Run("train", "--data", photos.Root, "--out", runDir, "--arch", "tiny", "--max-steps", "6", "--batch-size", "2",
                "--val-fraction", "0", "--val-interval", "0", "--sample-interval", "0");
            Assert.True(run.Code == 0, run.Err);
            Assert.Contains("done: 6 steps", run.Out);
            string all = run.Out + run.Err;
            Assert.Equal(1, all.Split("cut.jpg").Length - 1);
            Assert.Contains("damaged or truncated JPEG", all);
        }
        finally
        {
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
    }

    [Fact]
    public void ResumeChecksTheFolderAndTheArchitecture()
    {
        using var photos = new TestPhotos(count: 4);
        AssertBadInput(Run("train", "--resume", photos.Root), "not a training run folder");
        AssertBadInput(Run("train", "--resume", "/nonexistent/run"), "does not exist");

        string runDir = Path.Combine(photos.Root + "-run");
        try
        {
            var first = Run("train", "--data", photos.Root, "--out", runDir, "--arch", "tiny", "--max-steps", "2", "--batch-size", "2",
                "--val-fraction", "0.25", "--checkpoint-interval", "2", "--sample-interval", "0");
            Assert.True(first.Code == 0, first.Err);
            Assert.Contains("done: 2 steps", first.Out);

            AssertBadInput(Run("train", "--resume", runDir, "--arch", "seed"), "does not match");
            AssertBadInput(Run("train", "--data", photos.Root, "--out", runDir, "--arch", "tiny"), "already holds a run");

            var resumed = Run("train", "--resume", runDir, "--max-steps", "4");
            Assert.True(resumed.Code == 0, resumed.Err);
            Assert.Contains("resumed from", resumed.Out);
            Assert.Equal(4, new RunFolder(runDir).StepCheckpoints().Last().Step);

            var info = Run("info", runDir);
            Assert.Equal(0, info.Code);
            Assert.Contains("architecture: tiny", info.Out);
        }
        finally
        {
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
    }

    [Fact]
    public void ForeignCheckpointsAreBadInput()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a model");
            AssertBadInput(Run("info", path), "error:");
            AssertBadInput(Run("import-pytorch", path, "-o", path + ".out"), "not a PyTorch checkpoint");
            AssertBadInput(Run("import-pytorch", path, "-o", path), "overwrite the input");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
