namespace Inpaint.Trainer.Data;

/// <summary>One usable photo found in a data folder.</summary>
/// <param name="Path">Full path.</param>
/// <param name="RelativePath">Path below the data folder, with '/' separators (stable across machines).</param>
/// <param name="Width">Upright width.</param>
/// <param name="Height">Upright height.</param>
public sealed record PhotoEntry(string Path, string RelativePath, int Width, int Height);

/// <summary>How the photos divide into training and held-out validation sets.</summary>
/// <param name="Train">Photos to train on.</param>
/// <param name="Validation">Held-out photos.</param>
/// <param name="Skipped">Files that could not be used, each with the reason.</param>
public sealed record DataSplit(IReadOnlyList<PhotoEntry> Train, IReadOnlyList<PhotoEntry> Validation,
    IReadOnlyList<(string Path, string Reason)> Skipped);

/// <summary>Finds photos recursively in a folder and splits them deterministically.</summary>
public static class ImageFolder
{
    /// <summary>
    /// Scans <paramref name="root"/> and splits it. With <paramref name="validationLast"/> &gt; 0 the last N photos in
    /// path order are held out (the article's way); otherwise a fraction chosen by a stable hash of each relative
    /// path, so adding photos does not move existing ones between the sets.
    /// </summary>
    /// <exception cref="UserError">Missing folder, no usable photos, or too few for the split.</exception>
    public static DataSplit Scan(string root, PhotoFile photoFiles, int minSide, double validationFraction, int validationLast,
        Action<string>? warn = null)
    {
        if (!Directory.Exists(root)) throw new UserError($"data folder '{root}' does not exist");
        string full = System.IO.Path.GetFullPath(root);
        var files = Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => PhotoFile.Extensions.Contains(System.IO.Path.GetExtension(f)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new UserError($"data folder '{root}' holds no PNG, JPEG, BMP or WebP images (searched recursively)");

        var usable = new List<PhotoEntry>();
        var skipped = new List<(string, string)>();
        foreach (string file in files)
        {
            string relative = System.IO.Path.GetRelativePath(full, file).Replace('\\', '/');
            try
            {
                var (w, h, _) = photoFiles.Identify(file);
                if (Math.Min(w, h) < minSide)
                {
                    skipped.Add((file, $"'{file}' is {w}x{h}, smaller than the {minSide}x{minSide} crop"));
                    continue;
                }
                usable.Add(new PhotoEntry(file, relative, w, h));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                skipped.Add((file, e.Message));
            }
        }
        // Every reason names its file (the decoder's messages do).
        foreach (var (_, reason) in skipped) warn?.Invoke($"skipping {reason}");
        if (usable.Count == 0)
            throw new UserError($"none of the {files.Count} images in '{root}' is usable ({skipped.Count} skipped; see the warnings)");

        List<PhotoEntry> validation;
        if (validationLast > 0)
        {
            validation = usable.Skip(Math.Max(0, usable.Count - validationLast)).ToList();
        }
        else
        {
            int count = validationFraction <= 0 ? 0 : Math.Max(1, (int)Math.Round(usable.Count * validationFraction));
            validation = usable.OrderBy(p => StableHash(p.RelativePath)).ThenBy(p => p.RelativePath, StringComparer.Ordinal)
                .Take(count).OrderBy(p => p.RelativePath, StringComparer.Ordinal).ToList();
        }
        var held = validation.Select(p => p.Path).ToHashSet();
        var train = usable.Where(p => !held.Contains(p.Path)).ToList();
        if (train.Count == 0 || (validation.Count == 0 && (validationFraction > 0 || validationLast > 0)))
            throw new UserError(
                $"too few usable images for the split: {usable.Count} usable, {validation.Count} would be held out, leaving {train.Count} to train on");
        return new DataSplit(train, validation, skipped);
    }

    /// <summary>FNV-1a over the UTF-8 bytes: stable across processes and platforms (unlike string.GetHashCode).</summary>
    internal static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211;
        }
        return hash;
    }
}
