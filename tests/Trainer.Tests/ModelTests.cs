using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class ModelTests
{
    [Fact]
    public void SeedGeneratorHasTheArticlesParameterCount()
    {
        ModelSpec spec = Architectures.Create(Architectures.Seed);
        Assert.Equal(40_401_187, spec.ParameterCount);
        using var generator = new CenterGenerator(spec);
        Assert.Equal(40_401_187, generator.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void SeedGeneratorMatchesTheArticlesLayers()
    {
        ModelSpec spec = Architectures.Create(Architectures.Seed);
        Assert.Equal(11, spec.Layers.Count);
        Assert.Equal(NormKinds.None, spec.Layers[0].Norm);
        Assert.All(spec.Layers.Where(l => l.Norm == NormKinds.Batch), l => Assert.Equal(0.8, l.Eps));
        Assert.Equal(4000, spec.Layers[5].OutChannels);
        Assert.Equal(ActivationKinds.None, spec.Layers[5].Activation);
        Assert.Equal(ActivationKinds.Tanh, spec.Layers[^1].Activation);
        Assert.Equal("center:64", spec.Hole.Describe());
        Assert.Equal(64, spec.OutputSize);
    }

    [Fact]
    public void DiscriminatorHasTheArticlesParameterCount()
    {
        using var d = new PatchDiscriminator();
        Assert.Equal(1_555_585, d.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheFreeformDiscriminatorAlsoSeesTheHole()
    {
        using var scope = NewDisposeScope();
        using var d = new PatchDiscriminator(inputChannels: 4);
        Assert.Equal(1_555_585 + 64 * 9, d.parameters().Sum(p => p.numel())); // one more input channel of 3x3 weights
        Assert.Equal(new long[] { 2, 1, 4, 4 }, d.forward(rand(2, 4, 32, 32)).shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatchDiscriminator(inputChannels: 1));
    }

    [Theory]
    [InlineData(Architectures.Seed, 128, 64)]
    [InlineData(Architectures.Compact, 128, 64)]
    [InlineData(Architectures.Tiny, 32, 16)]
    public void ForwardShapes(string name, int size, int patch)
    {
        using var scope = NewDisposeScope();
        using var generator = new CenterGenerator(Architectures.Create(name));
        using var d = new PatchDiscriminator();
        generator.eval();
        using var noGrad = no_grad();
        Tensor output = generator.forward(rand(2, 3, size, size) * 2 - 1);
        Assert.Equal(new long[] { 2, 3, patch, patch }, output.shape);
        Assert.True(output.abs().max().item<float>() <= 1f);
        Assert.Equal(new long[] { 2, 1, patch / 8, patch / 8 }, d.forward(output).shape);
    }

    [Fact]
    public void CompactFitsTheShippedModelBudget()
    {
        // The exported fp32 ONNX file holds the (BatchNorm-folded) weights: 4 bytes each, at most 25 MB.
        ModelSpec spec = Architectures.Create(Architectures.Compact);
        Assert.True(spec.ParameterCount * 4 < 25_000_000, $"{spec.ParameterCount} parameters");
    }

    [Fact]
    public void InitialisationFollowsTheArticle()
    {
        torch.manual_seed(3);
        using var generator = new CenterGenerator(Architectures.Create(Architectures.Seed));
        WeightInit.Apply(generator);
        var state = generator.state_dict();
        Tensor conv = state["blocks.5.conv.weight"]; // 2,048,000 weights
        Assert.InRange(conv.mean().item<float>(), -0.001f, 0.001f);
        Assert.InRange(conv.std().item<float>(), 0.0195f, 0.0205f);
        Assert.InRange(state["blocks.6.norm.weight"].mean().item<float>(), 0.99f, 1.01f);
        Assert.Equal(0f, state["blocks.6.norm.bias"].abs().sum().item<float>());
    }

    [Fact]
    public void SpecSurvivesJson()
    {
        ModelSpec spec = Architectures.Create(Architectures.Compact, overlap: 4, fill: [0.1f, -0.2f, 0.3f]);
        ModelSpec back = ModelSpec.FromJson(spec.ToJson());
        Assert.Equal(spec.ToJson(), back.ToJson());
        Assert.Equal(spec.Layers, back.Layers);
    }

    [Fact]
    public void BrokenSpecsAreRefusedWithAReason()
    {
        ModelSpec spec = Architectures.Create(Architectures.Tiny);
        var broken = spec with { Layers = spec.Layers.Skip(1).ToList() };
        var e = Assert.Throws<InvalidDataException>(broken.Validate);
        Assert.Contains("receives 3", e.Message);
        Assert.Throws<InvalidDataException>(() => ModelSpec.FromJson("{not json"));
        var wrongHole = spec with { Hole = spec.Hole with { Size = 8 } };
        Assert.Contains("hole", Assert.Throws<InvalidDataException>(wrongHole.Validate).Message);
    }
}
