using Inpaint.Contract;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class FreeformModelTests
{
    [Fact]
    public void TheNamedFreeformSpecsValidateAndFitTheBudget()
    {
        foreach (string name in new[] { Architectures.Freeform, Architectures.FreeformWide, Architectures.FreeformTiny, Architectures.Prefill })
        {
            ModelSpec spec = Architectures.Create(name);
            Assert.True(spec.Family == ModelFamily.Freeform);
            Assert.Equal("any", spec.Hole.Describe());
            Assert.Equal(spec.ToJson(), ModelSpec.FromJson(spec.ToJson()).ToJson());
        }
        ModelSpec freeform = Architectures.Create(Architectures.Freeform);
        Assert.True(freeform.ParameterCount * 4 <= 25_000_000, $"{freeform.ParameterCount} parameters exceed 25 MB in fp32");
        Assert.Equal(16, freeform.Granularity);
        Assert.Empty(Architectures.Create(Architectures.Prefill).Layers);
        using var generator = new FreeformGenerator(freeform);
        Assert.Equal(freeform.ParameterCount, generator.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void BrokenFreeformSpecsAreRefused()
    {
        ModelSpec spec = Architectures.Create(Architectures.FreeformTiny);
        var layers = spec.Layers.ToList();
        int skip = layers.FindIndex(l => l.Concat is not null);
        layers[skip] = layers[skip] with { Concat = skip + 1 };
        Assert.Throws<InvalidDataException>(() => (spec with { Layers = layers }).Validate());
        Assert.Throws<InvalidDataException>(() => (spec with { Layers = spec.Layers.Take(spec.Layers.Count - 1).ToList() }).Validate());
        Assert.Throws<InvalidDataException>(() => (spec with { Prefill = null }).Validate());
        Assert.Throws<InvalidDataException>(() => (spec with { Prefill = spec.Prefill! with { Omega = 2.5 } }).Validate());
    }

    [Fact]
    public void AnUntrainedGeneratorIsExactlyItsPrefill()
    {
        manual_seed(3);
        using var generator = (FreeformGenerator)Generators.CreateInitialised(Architectures.Create(Architectures.FreeformTiny));
        using var scope = NewDisposeScope();
        var (image, hole) = Inputs(2, 37, 53, seed: 1);
        Tensor output = generator.forward(image, hole);
        Tensor prefill = generator.Prefill.forward(image, hole);
        Assert.Equal(image.shape, output.shape);
        Assert.True(output.eq(prefill).all().item<bool>(), "the zero residual must leave the pre-fill bit for bit");
    }

    [Fact]
    public void ThePrefillKeepsKnownPixelsAndFillsHarmonically()
    {
        using var fill = new HarmonicPrefill(Architectures.DefaultPrefill);
        using var scope = NewDisposeScope();
        // A linear ramp is harmonic: the fill of an interior hole reproduces it closely; known pixels are untouched.
        int h = 64, w = 96;
        Tensor ramp = (arange(w, dtype: ScalarType.Float32) / w * 1.6f - 0.8f).view(1, 1, 1, w).expand(1, 3, h, w).contiguous();
        Tensor hole = zeros(1, 1, h, w);
        hole[.., .., 20..44, 30..70] = tensor(1f);
        Tensor filled = fill.forward(ramp, hole);
        Tensor known = hole.eq(tensor(0f)).expand(1, 3, h, w);
        Assert.True(filled.masked_select(known).eq(ramp.masked_select(known)).all().item<bool>());
        double error = (filled - ramp).abs().max().item<float>();
        Assert.True(error < 0.02, $"largest error {error} on a ramp (range 1.6)");
        // Nothing known: the middle grey of the [-1, 1] range, not NaN.
        Tensor all = fill.forward(ramp, ones(1, 1, h, w));
        Assert.Equal(0f, all.abs().max().item<float>());
    }

    [Fact]
    public void ThePrefillHandlesTinyAndOddSizes()
    {
        using var fill = new HarmonicPrefill(Architectures.DefaultPrefill);
        foreach (var (h, w) in new[] { (1, 7), (3, 3), (2, 300), (17, 1) })
        {
            using var scope = NewDisposeScope();
            var (image, hole) = Inputs(1, h, w, seed: h * 31 + w);
            Tensor filled = fill.forward(image, hole);
            Assert.Equal(new long[] { 1, 3, h, w }, filled.shape);
            Assert.False(filled.isnan().any().item<bool>());
        }
    }

    internal static (Tensor Image, Tensor Hole) Inputs(int n, int h, int w, int seed)
    {
        var generator = new torch.Generator((ulong)seed);
        Tensor image = rand(new long[] { n, 3, h, w }, generator: generator) * 2 - 1;
        Tensor hole = (rand(new long[] { n, 1, h, w }, generator: generator) > 0.7f).to_type(ScalarType.Float32);
        return (image, hole);
    }
}
