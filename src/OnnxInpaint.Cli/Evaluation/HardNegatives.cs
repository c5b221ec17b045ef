namespace Inpaint.Cli.Evaluation;

/// <summary>
/// Which held-out photos show real thin structures or lettering that a damage detector could take for damage (branches,
/// wires, hair, the scene's own text, bright specks), read from a list of <c>PATH&lt;tab&gt;KIND,KIND&lt;tab&gt;note</c>
/// lines with PATH relative to the photo folder. <c>none</c> and blank or <c>#</c> lines name nothing.
/// </summary>
internal sealed class HardNegatives
{
    private readonly Dictionary<string, string[]> kinds;

    private HardNegatives(Dictionary<string, string[]> kinds) => this.kinds = kinds;

    /// <summary>The list at <paramref name="path"/> (none when null), its paths taken relative to <paramref name="folder"/>.</summary>
    /// <exception cref="UserError">The list cannot be read or a line has no kinds.</exception>
    public static HardNegatives Read(string? path, string folder)
    {
        var kinds = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (path is null) return new HardNegatives(kinds);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--hard-negatives '{path}' cannot be read: {e.Message}");
        }
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split('\t');
            if (fields.Length < 2) throw new UserError($"--hard-negatives '{path}' line {n + 1}: expected PATH<tab>KIND,KIND, got '{line}'");
            string[] named = fields[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(k => k != "none").ToArray();
            kinds[Key(Path.Combine(folder, fields[0].Trim()))] = named;
        }
        return new HardNegatives(kinds);
    }

    /// <summary>The kinds of structure photo <paramref name="photo"/> shows (none when it is not listed).</summary>
    public IReadOnlyList<string> Of(string photo) => kinds.TryGetValue(Key(photo), out string[]? named) ? named : [];

    /// <summary>How many listed photos show <paramref name="kind"/>.</summary>
    public int Count(string kind) => kinds.Values.Count(k => k.Contains(kind));

    private static string Key(string path) => Path.GetFullPath(path);
}
