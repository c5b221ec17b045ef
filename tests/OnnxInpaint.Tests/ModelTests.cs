using Google.Protobuf;
using Onnx;

namespace Inpaint.OnnxInpaint.Tests;

public class ModelTests
{
    private static byte[] Modified(Action<ModelProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture.TinyModel));
        change(model);
        return model.ToByteArray();
    }

    [Fact]
    public void ReadsTheContract()
    {
        using var model = Fixture.LoadTiny();
        Assert.Equal(1, model.Contract.Version);
        Assert.Equal("tiny", model.Contract.Architecture);
        Assert.Equal(32, model.Contract.ImageSize);
        Assert.Equal("center:16", model.Contract.Hole.ToString());
        Assert.Equal(16, model.Contract.HoleSize);
        Assert.Equal(16, model.Contract.BlankSize);
    }

    [Fact]
    public void LoadsFromBytesAndStreams()
    {
        byte[] bytes = File.ReadAllBytes(Fixture.TinyModel);
        using var a = InpaintModel.Load(bytes, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        using var stream = new MemoryStream(bytes);
        using var b = InpaintModel.Load(stream, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        Assert.Equal(a.Contract.Architecture, b.Contract.Architecture);
    }

    [Fact]
    public void RefusesModelsWithoutTheContract()
    {
        var e = Assert.Throws<InvalidDataException>(() => InpaintModel.Load(Modified(m => m.MetadataProps.Clear())));
        Assert.Contains("lacks inpaint.contract, inpaint.arch, inpaint.image_size, inpaint.hole", e.Message);

        var wrongVersion = Modified(m => m.MetadataProps.Single(p => p.Key == "inpaint.contract").Value = "2");
        Assert.Contains("contract '2'", Assert.Throws<InvalidDataException>(() => InpaintModel.Load(wrongVersion)).Message);

        var renamed = Modified(m =>
        {
            m.Graph.Input[1].Name = "holes";
            foreach (var node in m.Graph.Node)
                for (int i = 0; i < node.Input.Count; i++)
                    if (node.Input[i] == "mask") node.Input[i] = "holes";
        });
        Assert.Contains("no 'mask' input", Assert.Throws<InvalidDataException>(() => InpaintModel.Load(renamed)).Message);

        Assert.Throws<InvalidDataException>(() => InpaintModel.Load([1, 2, 3, 4]));
        Assert.Throws<FileNotFoundException>(() => InpaintModel.Load("/nonexistent/model.onnx"));
    }

    [Fact]
    public void RunChecksBufferSizes()
    {
        using var model = Fixture.LoadTiny();
        var e = Assert.Throws<ArgumentException>(() => model.Run(new float[10], new float[10], new float[10], 1));
        Assert.Contains("too small", e.Message);
    }

    [Fact]
    public void AutoAndCudaTakeThePathThisMachineOffers()
    {
        // Whether CUDA can work here is found independently (GPU driver and CUDA 13 / cuDNN 9 libraries present).
        string? missing = MachineFacts.CudaMissing();
        using var auto = InpaintModel.Load(Fixture.TinyModel, new InpaintModelOptions { Provider = ExecutionProvider.Auto });
        if (missing is null)
        {
            Assert.Equal(ExecutionProvider.Cuda, auto.ActiveExecutionProvider);
            Assert.Null(auto.FallbackReason);
            using var cuda = InpaintModel.Load(Fixture.TinyModel, new InpaintModelOptions { Provider = ExecutionProvider.Cuda });
            Assert.Equal(ExecutionProvider.Cuda, cuda.ActiveExecutionProvider);
            // The GPU computes what the CPU computes (within float rounding).
            using var cpuModel = InpaintModel.Load(Fixture.TinyModel, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
            var rng = new Random(3);
            var image = Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)rng.Next(256)).ToArray();
            var mask = Enumerable.Repeat(255f, 32 * 32).ToArray();
            float[] onGpu = new float[image.Length], onCpu = new float[image.Length];
            cuda.Run(image, mask, onGpu, 1);
            cpuModel.Run(image, mask, onCpu, 1);
            Assert.All(onGpu.Zip(onCpu), p => Assert.Equal(p.Second, p.First, 0.05f));
        }
        else
        {
            Assert.Equal(ExecutionProvider.Cpu, auto.ActiveExecutionProvider);
            Assert.NotNull(auto.FallbackReason);
            Assert.Contains("CUDA", auto.FallbackReason);
            var e = Assert.Throws<InvalidOperationException>(() => InpaintModel.Load(Fixture.TinyModel, new InpaintModelOptions { Provider = ExecutionProvider.Cuda }));
            Assert.Contains("CUDA was requested but", e.Message);
        }

        using var cpu = InpaintModel.Load(Fixture.TinyModel, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        Assert.Equal(ExecutionProvider.Cpu, cpu.ActiveExecutionProvider);
        Assert.Null(cpu.FallbackReason);
    }

    [Fact]
    public void ManyThreadsOnOneSessionMatchSequentialRuns()
    {
        using var model = Fixture.LoadTiny();
        const int s = 32, jobs = 24;
        var rng = new Random(5);
        var inputs = Enumerable.Range(0, jobs).Select(_ => Enumerable.Range(0, 3 * s * s).Select(_ => (float)rng.Next(256)).ToArray()).ToArray();
        var mask = Enumerable.Repeat(255f, s * s).ToArray();
        var sequential = inputs.Select(i => { var o = new float[3 * s * s]; model.Run(i, mask, o, 1); return o; }).ToArray();
        var parallel = new float[jobs][];
        Parallel.For(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, j =>
        {
            var o = new float[3 * s * s];
            model.Run(inputs[j], mask, o, 1);
            parallel[j] = o;
        });
        for (int j = 0; j < jobs; j++) Assert.Equal(sequential[j], parallel[j]);
    }

    [Fact]
    public void CancellationStopsARun()
    {
        using var model = Fixture.LoadTiny();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Run(new float[3 * 32 * 32], new float[32 * 32], new float[3 * 32 * 32], 1, cancel.Token));
    }

    [Fact]
    public void TheLibraryDoesNotReferenceTorchSharp()
    {
        var assembly = typeof(InpaintModel).Assembly;
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name!.Contains("Torch", StringComparison.OrdinalIgnoreCase));
        string project = File.ReadAllText(Path.Combine(RepoRoot(), "src", "OnnxInpaint", "OnnxInpaint.csproj"));
        Assert.DoesNotMatch("Include=\"[^\"]*(Torch|Trainer|Exporter)", project);
        string deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OnnxInpaint.Tests.deps.json"));
        Assert.DoesNotContain("TorchSharp", deps);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Inpaint.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
