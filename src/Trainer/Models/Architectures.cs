namespace Inpaint.Trainer.Models;

/// <summary>The named generator architectures and the context-encoder topology they share.</summary>
public static class Architectures
{
    /// <summary>The article's generator: 40,401,187 parameters, 128x128 in, 64x64 patch out.</summary>
    public const string Seed = "seed";

    /// <summary>The shipped default: the same topology, narrower, sized for an ONNX file of at most 25 MB.</summary>
    public const string Compact = "compact";

    /// <summary>A tiny 32x32 network for tests and smoke runs.</summary>
    public const string Tiny = "tiny";

    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [Seed, Compact, Tiny];

    /// <summary>Builds the spec of a named architecture.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static ModelSpec Create(string name, int overlap = 0, float[]? fill = null) => name switch
    {
        Seed => ContextEncoder(Seed, 128, [64, 64, 128, 256, 512], 4000, [512, 256, 128, 64], overlap, fill),
        // Chosen from measured speed and validation quality; see docs/architectures.md.
        Compact => ContextEncoder(Compact, 128, [64, 64, 128, 128, 256], 512, [256, 128, 64, 64], overlap, fill),
        Tiny => ContextEncoder(Tiny, 32, [8, 8, 16, 16, 32], 32, [16, 16, 8, 8], overlap, fill),
        _ => throw new ArgumentException($"unknown architecture '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>
    /// A named architecture, or a spec JSON file (architecture as data: any layer list that chains and ends in the
    /// hole's patch), with the overlap applied.
    /// </summary>
    /// <exception cref="UserInputException">Unknown name, unreadable file or invalid spec.</exception>
    public static ModelSpec Resolve(string nameOrPath, int overlap = 0)
    {
        try
        {
            if (!nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Create(nameOrPath, overlap);
            if (!File.Exists(nameOrPath)) throw new UserInputException($"architecture file '{nameOrPath}' does not exist");
            ModelSpec spec = ModelSpec.FromJson(File.ReadAllText(nameOrPath));
            spec = spec with { Hole = spec.Hole with { Overlap = overlap } };
            spec.Validate();
            return spec;
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"architecture '{nameOrPath}': {e.Message}");
        }
    }

    /// <summary>
    /// The context-encoder topology of the article: strided 4x4 convolutions down (LeakyReLU 0.2, BatchNorm
    /// with eps 0.8 on all but the first), a 1x1 bottleneck with no activation, 4x4 transposed convolutions up
    /// (BatchNorm eps 0.8, ReLU), and a 3x3 convolution to RGB with Tanh.
    /// </summary>
    /// <param name="name">Architecture name stored in the spec.</param>
    /// <param name="imageSize">Input side in pixels.</param>
    /// <param name="encoder">Output channels of each downsampling convolution.</param>
    /// <param name="bottleneck">Channels of the 1x1 bottleneck.</param>
    /// <param name="decoder">Output channels of each transposed convolution.</param>
    /// <param name="overlap">Pathak's overlap in pixels (0 = off).</param>
    /// <param name="fill">Hole fill per channel in [-1, 1]; the article's white by default.</param>
    public static ModelSpec ContextEncoder(string name, int imageSize, IReadOnlyList<int> encoder, int bottleneck,
        IReadOnlyList<int> decoder, int overlap = 0, float[]? fill = null)
    {
        const double ArticleEps = 0.8; // nn.BatchNorm2d(C, 0.8): the second argument is eps.
        var layers = new List<LayerSpec>();
        int channels = 3;
        for (int i = 0; i < encoder.Count; i++)
        {
            layers.Add(new LayerSpec
            {
                Kind = LayerKinds.Conv, InChannels = channels, OutChannels = encoder[i], Kernel = 4, Stride = 2, Padding = 1,
                Norm = i == 0 ? NormKinds.None : NormKinds.Batch, Eps = ArticleEps,
                Activation = ActivationKinds.LeakyRelu, Slope = 0.2,
            });
            channels = encoder[i];
        }
        layers.Add(new LayerSpec { Kind = LayerKinds.Conv, InChannels = channels, OutChannels = bottleneck, Kernel = 1 });
        channels = bottleneck;
        foreach (int width in decoder)
        {
            layers.Add(new LayerSpec
            {
                Kind = LayerKinds.ConvTranspose, InChannels = channels, OutChannels = width, Kernel = 4, Stride = 2, Padding = 1,
                Norm = NormKinds.Batch, Eps = ArticleEps, Activation = ActivationKinds.Relu,
            });
            channels = width;
        }
        layers.Add(new LayerSpec
        {
            Kind = LayerKinds.Conv, InChannels = channels, OutChannels = 3, Kernel = 3, Stride = 1, Padding = 1,
            Activation = ActivationKinds.Tanh,
        });
        int patch = imageSize >> encoder.Count << decoder.Count;
        var spec = new ModelSpec
        {
            Architecture = name,
            ImageSize = imageSize,
            Hole = new HoleSpec { Kind = "center", Size = patch, Overlap = overlap, Fill = fill ?? [1f, 1f, 1f] },
            Layers = layers,
        };
        spec.Validate();
        return spec;
    }
}
