using Inpaint.Exporter.Cli;
using Inpaint.Models.Checkpoints;
using Inpaint.Contract;
using Inpaint.Models;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Tests;

public class BadInputTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ExporterCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertBadInput((int Code, string Out, string Err) r, string expected)
    {
        Assert.Equal(1, r.Code);
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void CommandExportsAndReports()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("cli.onnx");
        var r = Run(store.Create(Architectures.Tiny), "-o", output, "--model-card");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("verified: max |onnx - torch|", r.Out);
        Assert.Contains("nodes (ONNX Runtime optimised: basic", r.Out);
        Assert.True(File.Exists(output));
        Assert.Contains("| architecture | `tiny`, 32,747", File.ReadAllText(store.Path2("cli.md")));
    }

    [Fact]
    public void MissingAndCorruptCheckpointsAreBadInput()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("x.onnx");
        AssertBadInput(Run("/nonexistent/model.safetensors", "-o", output), "does not exist");
        File.WriteAllText(store.Path2("junk.safetensors"), "junk");
        AssertBadInput(Run(store.Path2("junk.safetensors"), "-o", output), "cannot export");
        string good = store.Create(Architectures.Tiny);
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(store.Path2("cut.safetensors"), bytes[..(bytes.Length / 2)]);
        AssertBadInput(Run(store.Path2("cut.safetensors"), "-o", output), "truncated");
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(store.Root, "*.tmp"));
    }

    [Fact]
    public void UnknownArchitectureAndMismatchedWeightsAreBadInput()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("x.onnx");
        var spec = Architectures.Create(Architectures.Tiny);
        var layers = spec.Layers.ToList();
        layers[3] = layers[3] with { Kind = "depthwise" };
        string unknown = store.Path2("unknown.safetensors");
        using (var t = zeros(1))
        using (var stream = File.Create(unknown))
            SafeTensors.Write(stream, [("x", t)], new Dictionary<string, string> { [MetadataKeys.Spec] = (spec with { Layers = layers }).ToJson() });
        AssertBadInput(Run(unknown, "-o", output), "unknown kind 'depthwise'");

        // Weights of another width under the tiny spec.
        string tiny = store.Create(Architectures.Tiny);
        var (tensors, metadata) = SafeTensors.Read(tiny);
        tensors["blocks.0.conv.weight"] = zeros(4, 3, 4, 4);
        string mismatched = store.Path2("mismatched.safetensors");
        using (var stream = File.Create(mismatched))
            SafeTensors.Write(stream, tensors.Select(kv => (kv.Key, kv.Value)).ToList(), metadata);
        AssertBadInput(Run(mismatched, "-o", output), "blocks.0.conv.weight");
        tensors.Remove("blocks.0.conv.weight");
        using (var stream = File.Create(mismatched))
            SafeTensors.Write(stream, tensors.Select(kv => (kv.Key, kv.Value)).ToList(), metadata);
        AssertBadInput(Run(mismatched, "-o", output), "lacks");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void UnwritableOutputAndFailedVerificationLeaveNothing()
    {
        using var store = new TestCheckpoints();
        string checkpoint = store.Create(Architectures.Tiny);
        AssertBadInput(Run(checkpoint, "-o", Path.Combine(checkpoint, "sub", "x.onnx")), "cannot create the output folder");
        AssertBadInput(Run(checkpoint, "-o", store.Path2("x.txt")), "must end in .onnx");
        string output = store.Path2("strict.onnx");
        AssertBadInput(Run(checkpoint, "-o", output, "--tolerance", "-1"), "verification failed");
        Assert.False(File.Exists(output));
        Assert.Equal(2, Run(checkpoint).Code); // -o is required
    }

    [Fact]
    public void ExistingOutputIsReplacedAtomically()
    {
        using var store = new TestCheckpoints();
        string output = store.Path2("m.onnx");
        File.WriteAllText(output, "old");
        Assert.Equal(0, Run(store.Create(Architectures.Tiny), "-o", output, "--no-verify").Code);
        Assert.NotEqual("old", File.ReadAllText(output)[..3]);
        Assert.Empty(Directory.GetFiles(store.Root, ".*"));
    }
}
