using Inpaint.Models.Checkpoints;
using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Tests;

/// <summary>Random checkpoints in a temporary folder, with BatchNorm statistics far from 0/1 so folding matters.</summary>
public sealed class TestCheckpoints : IDisposable
{
    public TestCheckpoints()
    {
        Root = Path.Combine(Path.GetTempPath(), "inpaint-export-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Create(string architecture, int seed = 1, ModelSpec? spec = null)
    {
        torch.manual_seed(seed);
        using var generator = new CenterGenerator(spec ?? Architectures.Create(architecture));
        WeightInit.Apply(generator);
        using (no_grad())
        {
            foreach (var (name, buffer) in generator.named_buffers())
            {
                if (name.EndsWith("running_mean")) buffer.copy_(randn_like(buffer) * tensor(0.5f));
                if (name.EndsWith("running_var")) buffer.copy_(rand_like(buffer) * tensor(2f) + tensor(0.1f));
            }
            foreach (var (name, p) in generator.named_parameters())
                if (name.EndsWith("norm.bias")) p.copy_(randn_like(p) * tensor(0.1f));
        }
        string path = Path.Combine(Root, $"{architecture}-{seed}-{Guid.NewGuid():N}.safetensors");
        GeneratorCheckpoint.Save(path, generator, "{\"steps\":7,\"data\":{\"folder\":\"none\",\"train_images\":3,\"validation_images\":1}}");
        return path;
    }

    /// <summary>A freeform checkpoint with random weights everywhere, the last layer included (a non-zero residual).</summary>
    public string CreateFreeform(string architecture = Architectures.FreeformTiny, int seed = 1)
    {
        torch.manual_seed(seed);
        using var generator = new FreeformGenerator(Architectures.Create(architecture));
        FreeformInit.Apply(generator);
        using (no_grad())
            foreach (var (_, p) in generator.named_parameters())
                p.add_(randn_like(p) * tensor(0.05f));
        string path = Path.Combine(Root, $"{architecture}-{seed}-{Guid.NewGuid():N}.safetensors");
        GeneratorCheckpoint.Save(path, generator, generator.Spec, "{\"steps\":7,\"data\":{\"folder\":\"none\",\"train_images\":3,\"validation_images\":1}}");
        return path;
    }

    /// <summary>A detector checkpoint with random weights (its output varies across the image).</summary>
    public string CreateDetector(string architecture = Architectures.DetectorTiny, int seed = 1)
    {
        torch.manual_seed(seed);
        using var net = new DamageNet(Architectures.Create(architecture));
        DetectorInit.Apply(net);
        using (no_grad())
            foreach (var (_, p) in net.named_parameters())
                p.add_(randn_like(p) * tensor(0.2f));
        string path = Path.Combine(Root, $"{architecture}-{seed}-{Guid.NewGuid():N}.safetensors");
        GeneratorCheckpoint.Save(path, net, net.Spec, "{\"steps\":7,\"data\":{\"folder\":\"none\",\"train_images\":3,\"validation_images\":1},\"validation\":{\"threshold\":0.4}}");
        return path;
    }

    public string Path2(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
