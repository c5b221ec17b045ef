using System.Globalization;

namespace Inpaint.Models.Checkpoints;

/// <summary>
/// The layout of a run folder: <c>checkpoints/step-NNNNNNNN/</c> (model.safetensors + trainer-state.bin, the
/// last K kept), <c>best/model.safetensors</c>, <c>samples/</c>, <c>metrics.jsonl</c>, <c>tensorboard/</c> and
/// <c>run.json</c>. Step checkpoints are written into a hidden temporary folder and renamed into place, so a
/// crash or a full disk leaves the previous checkpoints intact.
/// </summary>
public sealed class RunFolder
{
    private const string StepPrefix = "step-";

    /// <summary>
    /// The trainer's resume state beside each step's model.safetensors (its format is the trainer's): a step
    /// checkpoint is complete only with both.
    /// </summary>
    public const string StateFileName = "trainer-state.bin";

    /// <summary>Opens (without creating) a run folder.</summary>
    public RunFolder(string root) => Root = Path.GetFullPath(root);

    /// <summary>The run folder.</summary>
    public string Root { get; }

    /// <summary>Where step checkpoints live.</summary>
    public string CheckpointsDir => Path.Combine(Root, "checkpoints");

    /// <summary>The best checkpoint's folder.</summary>
    public string BestDir => Path.Combine(Root, "best");

    /// <summary>Sample grids.</summary>
    public string SamplesDir => Path.Combine(Root, "samples");

    /// <summary>TensorBoard event files.</summary>
    public string TensorBoardDir => Path.Combine(Root, "tensorboard");

    /// <summary>One JSON object per line: progress and validation.</summary>
    public string MetricsPath => Path.Combine(Root, "metrics.jsonl");

    /// <summary>The options the run was started with.</summary>
    public string OptionsPath => Path.Combine(Root, "run.json");

    /// <summary>Creates the folders and checks that they can be written.</summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public void Create()
    {
        try
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(CheckpointsDir);
            Directory.CreateDirectory(SamplesDir);
            string probe = Path.Combine(Root, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write to the output folder '{Root}': {e.Message}", e);
        }
    }

    /// <summary>Step checkpoints present, oldest first.</summary>
    public IReadOnlyList<(long Step, string Dir)> StepCheckpoints()
    {
        if (!Directory.Exists(CheckpointsDir)) return [];
        var found = new List<(long, string)>();
        foreach (string dir in Directory.EnumerateDirectories(CheckpointsDir, StepPrefix + "*"))
        {
            string name = Path.GetFileName(dir);
            if (long.TryParse(name.AsSpan(StepPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step)
                && File.Exists(Path.Combine(dir, GeneratorCheckpoint.FileName)) && File.Exists(Path.Combine(dir, StateFileName)))
                found.Add((step, dir));
        }
        return found.OrderBy(f => f.Item1).ToList();
    }

    /// <summary>The newest complete step checkpoint, or null.</summary>
    public string? Latest() => StepCheckpoints().LastOrDefault().Dir;

    /// <summary>
    /// Writes checkpoint <paramref name="step"/> through <paramref name="write"/> (called with a temporary folder;
    /// every file it writes must be flushed), renames it into place and keeps only the newest <paramref name="keep"/>.
    /// </summary>
    public string SaveStep(long step, int keep, Action<string> write)
    {
        string final = Path.Combine(CheckpointsDir, $"{StepPrefix}{step:D8}");
        string temp = Path.Combine(CheckpointsDir, $".writing-{StepPrefix}{step:D8}-{Environment.ProcessId}");
        try
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            Directory.CreateDirectory(temp);
            write(temp);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
        }
        catch
        {
            try { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); } catch (IOException) { }
            throw;
        }
        var all = StepCheckpoints();
        foreach (var (_, dir) in all.Take(Math.Max(0, all.Count - Math.Max(1, keep))))
            Directory.Delete(dir, recursive: true);
        return final;
    }
}
