using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// (Paths in this file are written in pieces or words so that the scan does not find its own examples.)
/// The repository must stand alone on a user's machine. Rules, over every committed text file
/// (<c>git ls-files</c>; a file with a NUL byte in its first 8 KB is binary and skipped, as git does):
/// <list type="number">
/// <item>No pointer to the shared folder beside the checkout (two dots, a slash, "shared"): a clone does not have it.</item>
/// <item>No absolute path under the top-level folders work, root or home: those name one machine's layout
/// (where a repository was checked out, a user's home), which is never right on another machine.</item>
/// <item>No <c>/tmp/</c> path in Markdown prose. Inside code (backticks or fenced blocks), in scripts, sources and
/// recorded command lines, a <c>/tmp/</c> path is a generic scratch location that a reader may use as is.</item>
/// </list>
/// </summary>
public class RepositoryPathsTests
{
    // Built from parts so that this file does not match itself.
    private static readonly string SharedPointer = ".." + "/shared";
    private static readonly Regex MachineRoot = new(@"(?<![\w.~-])/(work|root|home)/", RegexOptions.Compiled);
    private static readonly Regex TmpPath = new(@"(?<![\w.~-])/tmp/", RegexOptions.Compiled);

    [Fact]
    public void CommittedTextFilesNameNoMachinePathsAndNoSharedFolder()
    {
        string root = ModelTests.RepoRoot();
        var files = TrackedFiles(root);
        Assert.Contains("README.md", files); // the scan really sees the repository
        var problems = new List<string>();
        int scanned = 0;
        foreach (string file in files)
        {
            string full = Path.Combine(root, file);
            if (!File.Exists(full) || IsBinary(full)) continue;
            scanned++;
            string[] lines = File.ReadAllLines(full);
            bool markdown = file.EndsWith(".md", StringComparison.OrdinalIgnoreCase), fenced = false;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.Contains(SharedPointer, StringComparison.Ordinal)) problems.Add($"{file}:{i + 1}: points to {SharedPointer}");
                if (MachineRoot.IsMatch(line)) problems.Add($"{file}:{i + 1}: machine path '{MachineRoot.Match(line).Value}'");
                if (!markdown) continue;
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
                if (!fenced && TmpPath.IsMatch(Prose(line))) problems.Add($"{file}:{i + 1}: /tmp/ path in prose");
            }
        }
        Assert.True(scanned > 50, $"only {scanned} text files scanned");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CommittedModelsCarryNoMachinePathsInTheirMetadata()
    {
        // ONNX files are binary, so the scan above skips them, but their metadata (the training facts) is text that
        // travels with the model: an exporter once copied the training machine's data folder into it.
        string root = ModelTests.RepoRoot();
        var models = TrackedFiles(root).Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains("models/" + "inpaint-freeform.onnx", models);
        var problems = new List<string>();
        foreach (string file in models)
        {
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(root, file));
            foreach (var (key, value) in session.ModelMetadata.CustomMetadataMap)
                if (MachineRoot.IsMatch(value)) problems.Add($"{file}: {key} holds machine path '{MachineRoot.Match(value).Value}'");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TheRulesCatchWhatTheyAreFor()
    {
        Assert.Matches(MachineRoot, "training data from `" + "/wo" + "rk/main/data/train`");
        Assert.Matches(MachineRoot, "see /ho" + "me/alice/photos");
        Assert.DoesNotMatch(MachineRoot, "data/wo" + "rk/photos and ~/ho" + "me/x and src/ro" + "ot/y");
        Assert.Matches(TmpPath, Prose("results went to /tmp/run1 yesterday"));
        Assert.DoesNotMatch(TmpPath, Prose("run `inpaint-train --out /tmp/demo` to try"));
    }

    /// <summary>A Markdown line without its inline code spans.</summary>
    private static string Prose(string line) => Regex.Replace(line, "`[^`]*`", "");

    private static bool IsBinary(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[8000];
        int n = stream.Read(head, 0, head.Length);
        return Array.IndexOf(head, (byte)0, 0, n) >= 0;
    }

    private static List<string> TrackedFiles(string root)
    {
        var start = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start)!;
        string listing = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git ls-files failed: {git.StandardError.ReadToEnd()}");
        return listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
