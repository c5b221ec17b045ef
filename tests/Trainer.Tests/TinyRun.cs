using Inpaint.Trainer.Data;
using Inpaint.Contract;
using Inpaint.Models;
using Inpaint.Trainer.Training;

namespace Inpaint.Trainer.Tests;

/// <summary>A tiny-architecture training setup over synthetic photos, in temporary folders.</summary>
public sealed class TinyRun : IDisposable
{
    public TinyRun(int photos = 6)
    {
        Photos = new TestPhotos(photos);
        Split = ImageFolder.Scan(Photos.Root, new PhotoFile(), 32, 0.2, 0);
        Spec = Architectures.Create(Architectures.Tiny);
    }

    public TestPhotos Photos { get; }

    public DataSplit Split { get; }

    public ModelSpec Spec { get; }

    private readonly List<string> outDirs = new();

    public TrainOptions Options(string? outDir = null)
    {
        outDir ??= Path.Combine(Photos.Root + "-runs", Guid.NewGuid().ToString("N"));
        outDirs.Add(outDir);
        return new TrainOptions
        {
            DataDir = Photos.Root, OutDir = outDir, Architecture = Architectures.Tiny, BatchSize = 4, Seed = 11,
            SampleInterval = 0, ValidationInterval = 1000, CheckpointInterval = 1000, LogInterval = 1, Workers = 1,
        };
    }

    public CenterTrainer Trainer(TrainOptions options) => new(options, Spec, Split);

    public void Dispose()
    {
        Photos.Dispose();
        try { Directory.Delete(Photos.Root + "-runs", recursive: true); } catch (IOException) { }
    }
}
