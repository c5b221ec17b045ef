using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Trainer.Cli;
using Inpaint.Contract;
using Inpaint.Models;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

/// <summary>
/// The fixture was written by Fixtures/make_article_fixture.py with Debian's PyTorch 1.13: the article's
/// generator code (narrow widths), a few Adam steps, saved as {'state_dict', 'optimizer'}, plus an input and
/// the generator's eval-mode output.
/// </summary>
public class ImportTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static Tensor ReadTensor(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int dims = reader.ReadInt32();
        long[] shape = Enumerable.Range(0, dims).Select(_ => reader.ReadInt64()).ToArray();
        float[] data = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => reader.ReadSingle()).ToArray();
        return tensor(data, shape);
    }

    [Fact]
    public void ImportedGeneratorReproducesPyTorchOutputs()
    {
        var (generator, facts) = PyTorchImport.Import(Fixture("article_tiny.pth"), imageSize: 32);
        using (generator)
        {
            Assert.Contains("article_tiny.pth", facts);
            Assert.Equal(32_747, generator.Spec.ParameterCount);
            Assert.Equal(new[] { 8, 8, 16, 16, 32, 32, 16, 16, 8, 8, 3 }, generator.Spec.Layers.Select(l => l.OutChannels));
            generator.eval();
            using var input = ReadTensor(Fixture("article_tiny_input.bin"));
            using var expected = ReadTensor(Fixture("article_tiny_output.bin"));
            using var noGrad = no_grad();
            using var actual = generator.forward(input);
            float diff = (actual - expected).abs().max().item<float>();
            Assert.True(diff < 1e-5f, $"max abs difference {diff}");
        }
    }

    [Fact]
    public void NamedArchitectureMustMatchTheWeights()
    {
        var e = Assert.Throws<InvalidDataException>(() => PyTorchImport.Import(Fixture("article_tiny.pth"), Architectures.Seed));
        Assert.Contains("shape", e.Message);
    }

    [Fact]
    public void CommandWritesACheckpointThatLoads()
    {
        string outPath = Path.Combine(Path.GetTempPath(), $"imported-{Guid.NewGuid():N}.safetensors");
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = TrainerCli.Run(["import-pytorch", Fixture("article_tiny.pth"), "-o", outPath, "--image-size", "32"], stdout, stderr);
            Assert.Equal(0, code);
            Assert.Contains("32,747 parameters", stdout.ToString());
            var (generator, facts) = GeneratorCheckpoint.Load(outPath);
            using (generator) Assert.Equal("imported", generator.Spec.Architecture);
        }
        finally
        {
            File.Delete(outPath);
        }
    }
}
