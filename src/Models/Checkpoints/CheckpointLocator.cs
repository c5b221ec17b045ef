namespace Inpaint.Models.Checkpoints;

/// <summary>Finds the model.safetensors a user means: a file, or a run folder's best (else latest) checkpoint.</summary>
public static class CheckpointLocator
{
    /// <summary>Resolves <paramref name="path"/> to a model.safetensors file.</summary>
    /// <exception cref="FileNotFoundException">Nothing usable there (the message says what was looked for).</exception>
    public static string Resolve(string path, bool preferLatest = false)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist", path);
        var run = new RunFolder(path);
        string best = Path.Combine(run.BestDir, GeneratorCheckpoint.FileName);
        string? latest = run.Latest() is { } dir ? Path.Combine(dir, GeneratorCheckpoint.FileName) : null;
        string direct = Path.Combine(run.Root, GeneratorCheckpoint.FileName);
        string? chosen = preferLatest ? latest ?? (File.Exists(best) ? best : null) : File.Exists(best) ? best : latest;
        chosen ??= File.Exists(direct) ? direct : null;
        return chosen ?? throw new FileNotFoundException($"'{path}' holds no checkpoint (no best/, checkpoints/step-*/ or model.safetensors)");
    }
}
