using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Inpaint.Contract;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// One home per fact, checked on the sources: the contract's derived rules are written only in src/Contract, projects
/// reference libraries only, and methods stay short. (Patterns are built from parts so this file does not match itself.)
/// </summary>
public class SourceRulesTests
{
    private static readonly string Root = ModelTests.RepoRoot();

    /// <summary>C# files of the product and the benchmarks (not tests, not build outputs).</summary>
    private static IEnumerable<(string File, string[] Lines)> Sources(params string[] folders) =>
        folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(Root, f), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Root, f).Replace('\\', '/'), File.ReadAllLines(f)));

    /// <summary>Lines of code: comment lines dropped, so documentation may explain the rules it does not implement.</summary>
    private static IEnumerable<(int Number, string Text)> Code(string[] lines) =>
        lines.Select((l, i) => (i + 1, l)).Where(x => !x.l.TrimStart().StartsWith("//", StringComparison.Ordinal));

    private static List<string> Find(Regex pattern, Func<string, bool> exempt)
    {
        var found = new List<string>();
        foreach (var (file, lines) in Sources("src", "bench"))
        {
            if (exempt(file)) continue;
            foreach (var (number, text) in Code(lines))
                if (pattern.IsMatch(text)) found.Add($"{file}:{number}: {text.Trim()}");
        }
        return found;
    }

    [Fact]
    public void TheCentreSquareIsComputedOnlyByCenterSquare()
    {
        // (A - B) / 2 with plain operands: the corner of a square centred in a side.
        var halving = new Regex(@"\(\s*[\w.]+(\s*\*\s*[\w.]+)?\s*-\s*[\w.]+(\s*\*\s*[\w.]+)?\s*\)\s*/\s*" + "2" + @"(?![\d.fFdDmM])");
        Assert.Empty(Find(halving, f => f == "src/Contract/CenterSquare.cs"));
    }

    [Fact]
    public void TheNormalisationConstantLivesInTheContract()
    {
        var constant = new Regex(@"(?<![\w.])127\." + "5");
        Assert.Empty(Find(constant, f => f.StartsWith("src/Contract/", StringComparison.Ordinal)));
    }

    [Fact]
    public void ContractKeysAreNamedOnlyByTheContract()
    {
        var keys = typeof(MetadataKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Contains("inpaint" + ".spec", keys);
        var literal = new Regex("\"(" + string.Join("|", keys.Select(Regex.Escape)) + ")\"");
        Assert.Empty(Find(literal, f => f.StartsWith("src/Contract/", StringComparison.Ordinal)));
    }

    [Fact]
    public void ProjectsReferenceLibrariesOnlyAndCompileNoOtherProjectsFiles()
    {
        var problems = new List<string>();
        var projects = Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal)).ToList();
        Assert.True(projects.Count > 10, $"only {projects.Count} projects found");
        foreach (string project in projects)
        {
            string name = Path.GetRelativePath(Root, project);
            XDocument xml = XDocument.Load(project);
            foreach (var compile in xml.Descendants("Compile").Where(c => c.Attribute("Include") is not null))
                problems.Add($"{name} compiles another project's file: {compile.Attribute("Include")!.Value}");
            // Test projects may reference the programs they test (the CLI in process, the server under WebApplicationFactory).
            if (name.StartsWith("tests", StringComparison.Ordinal)) continue;
            foreach (var reference in xml.Descendants("ProjectReference"))
            {
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value));
                if (IsExecutable(target)) problems.Add($"{name} references the program {Path.GetRelativePath(Root, target)}");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static bool IsExecutable(string project)
    {
        XDocument xml = XDocument.Load(project);
        return xml.Root!.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web"
               || xml.Descendants("OutputType").Any(o => o.Value.Equals("Exe", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NoMethodIsLongerThanSixtyLines()
    {
        const int Limit = 60;
        var control = new Regex(@"^\s*(if|else|for|foreach|while|do|switch|using|lock|catch|try|finally|case|default|return|get|set|init|add|remove|checked|unchecked|fixed|unsafe)\b");
        var typeHeader = new Regex(@"\b(class|record|struct|interface|enum|namespace)\b");
        var longOnes = new List<string>();
        foreach (var (file, lines) in Sources("src", "bench"))
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "{") continue;
                int indent = lines[i].Length - lines[i].TrimStart().Length;
                int header = i - 1;
                while (header >= 0 && (lines[header].Trim().Length == 0 || Indent(lines[header]) > indent)) header--;
                if (header < 0 || Indent(lines[header]) != indent) continue;
                string h = lines[header];
                if (!h.Contains('(') || control.IsMatch(h) || typeHeader.IsMatch(h) || h.Contains("=>") || h.TrimStart().StartsWith("//") || h.TrimStart().StartsWith('[')) continue;
                int end = i + 1;
                while (end < lines.Length && !(Indent(lines[end]) == indent && lines[end].TrimStart().StartsWith('}'))) end++;
                if (end - i - 1 > Limit) longOnes.Add($"{file}:{header + 1}: {end - i - 1} lines: {h.Trim()}");
            }
        Assert.True(longOnes.Count == 0, string.Join(Environment.NewLine, longOnes));
    }

    private static int Indent(string line) => line.Trim().Length == 0 ? int.MaxValue : line.Length - line.TrimStart().Length;
}
