using Inpaint.Cli.Evaluation;
using Inpaint.Hosting;

namespace Inpaint.OnnxInpaint.Tests;

public class HardNegativesTests
{
    [Fact]
    public void TheListNamesEachPhotosStructuresAndSkipsCommentsAndNone()
    {
        string folder = Fixture.TempDir();
        string list = Path.Combine(folder, "hard.tsv");
        File.WriteAllLines(list, ["# a comment", "", "a/wires.jpg\twires, branches\tpower lines", "b/plain.jpg\tnone\tnothing", "c/text.png\tscene-text"]);
        HardNegatives hard = HardNegatives.Read(list, folder);
        Assert.Equal(["wires", "branches"], hard.Of(Path.Combine(folder, "a", "wires.jpg")));
        Assert.Empty(hard.Of(Path.Combine(folder, "b", "plain.jpg")));
        Assert.Empty(hard.Of(Path.Combine(folder, "unlisted.jpg")));
        Assert.Equal(["scene-text"], hard.Of(Path.Combine(folder, "c", "..", "c", "text.png")));
        Assert.Equal(1, hard.Count("wires"));
        Assert.Empty(HardNegatives.Read(null, folder).Of(Path.Combine(folder, "a", "wires.jpg")));
    }

    [Fact]
    public void ABadListIsAOneLineRefusal()
    {
        string folder = Fixture.TempDir();
        string list = Path.Combine(folder, "bad.tsv");
        File.WriteAllLines(list, ["a/wires.jpg wires"]);
        Assert.Contains("line 1: expected PATH<tab>KIND,KIND", Assert.Throws<UserError>(() => HardNegatives.Read(list, folder)).Message);
        Assert.Contains("cannot be read", Assert.Throws<UserError>(() => HardNegatives.Read(Path.Combine(folder, "missing.tsv"), folder)).Message);
    }
}
