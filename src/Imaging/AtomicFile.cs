namespace Inpaint.Imaging;

/// <summary>
/// Writes files so a crash, a kill or a full disk never leaves a half-written one under the final name: write to a
/// hidden temporary file in the same folder (<c>.NAME.PID.THREAD.tmp</c>), flush it to disk, then rename it over the
/// target. If anything fails, the temporary file is removed and an existing file at the target is left as it was.
/// Photos, checkpoints, models and their cards are all written this way.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <exception cref="IOException">The file cannot be written (disk full, read-only, no permission...); the message names <paramref name="path"/>, not the temporary file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"cannot write '{path}': {Failure(e, temp, full)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes text atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>
    /// Removes the temporary files that <see cref="Write"/> left in <paramref name="folder"/> when its process was killed
    /// (those whose process no longer runs); files of running processes stay. Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string folder)
    {
        int removed = 0;
        if (!Directory.Exists(folder)) return 0;
        foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            string[] parts = Path.GetFileName(file).Split('.');
            // "", NAME..., EXT, PID, THREAD, "tmp"
            if (parts.Length < 6 || !int.TryParse(parts[^3], out int pid) || !int.TryParse(parts[^2], out _)) continue;
            if (pid == Environment.ProcessId || ProcessRuns(pid)) continue;
            if (TryDelete(file)) removed++;
        }
        return removed;
    }

    private static bool ProcessRuns(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Why a write failed, in words that do not mention the temporary file the user never asked for.</summary>
    private static string Failure(Exception e, string temp, string full)
    {
        // On Unix, IOException.HResult carries errno for system errors.
        const int NoSpace = 28, ReadOnlyFileSystem = 30, QuotaExceeded = 122;
        if (e is UnauthorizedAccessException) return "permission denied (is the folder read-only?)";
        return (e.HResult & 0xFFFF) switch
        {
            NoSpace or QuotaExceeded => "the disk is full",
            ReadOnlyFileSystem => "the file system is read-only",
            _ => e.Message.Replace(temp, full, StringComparison.Ordinal),
        };
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
