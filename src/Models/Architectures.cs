using Inpaint.Contract;
namespace Inpaint.Models;

/// <summary>The named generator architectures and the context-encoder topology they share.</summary>
public static class Architectures
{
    /// <summary>The article's generator: 40,401,187 parameters, 128x128 in, 64x64 patch out.</summary>
    public const string Seed = "seed";

    /// <summary>The shipped default: the same topology, narrower, sized for an ONNX file of at most 25 MB.</summary>
    public const string Compact = "compact";

    /// <summary>A tiny 32x32 network for tests and smoke runs.</summary>
    public const string Tiny = "tiny";

    /// <summary>The freeform default: a U-Net over the harmonic pre-fill (see docs/architectures.md).</summary>
    public const string Freeform = "freeform";

    /// <summary>A wider freeform U-Net (more channels in the deep, cheap levels).</summary>
    public const string FreeformWide = "freeform-wide";

    /// <summary>A tiny freeform network for tests and smoke runs.</summary>
    public const string FreeformTiny = "freeform-tiny";

    /// <summary>The freeform family's pre-fill alone: a classical inpainter with no weights.</summary>
    public const string Prefill = "prefill";

    /// <summary>The damage detector (see docs/architectures.md).</summary>
    public const string Detector = "detector";

    /// <summary>A tiny detector for tests and smoke runs.</summary>
    public const string DetectorTiny = "detector-tiny";

    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [Seed, Compact, Tiny, Freeform, FreeformWide, FreeformTiny, Prefill, Detector, DetectorTiny];

    /// <summary>The pre-fill every named freeform model uses (sweeps chosen by measurement: docs/architectures.md).</summary>
    public static PrefillSpec DefaultPrefill { get; } = new() { Levels = 6, Sweeps = [4, 8, 16], Omega = 1.7 };

    /// <summary>Builds the spec of a named architecture.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static ModelSpec Create(string name, int overlap = 0, float[]? fill = null) => name switch
    {
        Seed => ContextEncoder(Seed, 128, [64, 64, 128, 256, 512], 4000, [512, 256, 128, 64], overlap, fill),
        // Chosen from measured speed and validation quality; see docs/architectures.md.
        Compact => ContextEncoder(Compact, 128, [64, 64, 128, 128, 256], 512, [256, 128, 64, 64], overlap, fill),
        Tiny => ContextEncoder(Tiny, 32, [8, 8, 16, 16, 32], 32, [16, 16, 8, 8], overlap, fill),
        // Chosen from measured speed and validation quality; see docs/architectures.md.
        Freeform => UNet(Freeform, 128, [16, 32, 64, 128, 128], [2, 4, 8], [64, 32, 16, 16]),
        FreeformWide => UNet(FreeformWide, 128, [24, 48, 96, 192, 256], [2, 4, 8], [96, 48, 24, 24]),
        FreeformTiny => UNet(FreeformTiny, 32, [4, 8, 8], [2], [8, 4]),
        Prefill => UNet(Prefill, 128, [], [], []),
        Detector => DetectorUNet(Detector, 128, [16, 32, 64, 96], [2, 4], [64, 32, 16]),
        DetectorTiny => DetectorUNet(DetectorTiny, 32, [4, 8, 8], [2], [8, 4]),
        _ => throw new ArgumentException($"unknown architecture '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>
    /// A named architecture, or a spec JSON file (architecture as data: any layer list that chains and ends in the
    /// hole's patch), with the overlap applied.
    /// </summary>
    /// <exception cref="InvalidDataException">Unknown name, or a file that is not a valid spec (the message says which).</exception>
    /// <exception cref="FileNotFoundException">No such spec file.</exception>
    public static ModelSpec Resolve(string nameOrPath, int overlap = 0)
    {
        try
        {
            if (!nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Create(nameOrPath, overlap);
            if (!File.Exists(nameOrPath)) throw new FileNotFoundException($"architecture file '{nameOrPath}' does not exist", nameOrPath);
            ModelSpec spec = ModelSpec.FromJson(File.ReadAllText(nameOrPath));
            if (spec.Family == ModelFamily.Center) spec = spec with { Hole = spec.Hole with { Overlap = overlap } };
            spec.Validate();
            return spec;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"architecture '{nameOrPath}': {e.Message}", e);
        }
    }

    /// <summary>
    /// The freeform U-Net: a 3x3 convolution at full resolution, then 3x3 stride-2 convolutions down (one per
    /// further encoder width), dilated 3x3 convolutions at the deepest level for wide context, and back up by
    /// nearest-neighbour upsampling, each followed by a 3x3 convolution over the upsampled features concatenated
    /// with the encoder's features of that size (the U-Net skips). LeakyReLU(0.2) everywhere, no normalisation
    /// (any batch size, nothing to fold), and a last 3x3 convolution to the RGB residual with no activation.
    /// With no encoder widths the spec is the pre-fill alone.
    /// </summary>
    /// <param name="name">Architecture name.</param>
    /// <param name="imageSize">Training tile side.</param>
    /// <param name="encoder">Widths: the full-resolution convolution, then one per halving.</param>
    /// <param name="dilations">Dilations of the 3x3 convolutions at the deepest level.</param>
    /// <param name="decoder">Widths of the convolutions after each upsampling (one per halving, coarse to fine).</param>
    /// <param name="prefill">The pre-fill (default: <see cref="DefaultPrefill"/>).</param>
    public static ModelSpec UNet(string name, int imageSize, IReadOnlyList<int> encoder, IReadOnlyList<int> dilations,
        IReadOnlyList<int> decoder, PrefillSpec? prefill = null)
    {
        IReadOnlyList<LayerSpec> layers = UNetLayers(4, 3, encoder, dilations, decoder);
        int granularity = 1 << Math.Max(0, encoder.Count - 1);
        var spec = new ModelSpec
        {
            Format = 2,
            FamilyName = ModelFamilies.FreeformWord,
            Architecture = name,
            ImageSize = imageSize,
            Hole = HoleSpec.Any,
            Prefill = prefill ?? DefaultPrefill,
            // Context a tile should carry around a hole: a quarter of the training tile, at least one granule.
            Context = ModelContract.DefaultContext(imageSize, granularity),
            Layers = layers,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>
    /// The detector: the freeform U-Net's topology (<see cref="UNet"/>) over the photo alone (3 channels in) with one
    /// damage logit out. Its context (what a tile carries around the part it answers for) is the radius of its receptive
    /// field, so a photo answered tile by tile matches one answered in one call.
    /// </summary>
    public static ModelSpec DetectorUNet(string name, int imageSize, IReadOnlyList<int> encoder, IReadOnlyList<int> dilations, IReadOnlyList<int> decoder)
    {
        IReadOnlyList<LayerSpec> layers = UNetLayers(3, 1, encoder, dilations, decoder);
        var spec = new ModelSpec
        {
            Format = 2,
            FamilyName = ModelFamilies.DetectorWord,
            Architecture = name,
            ImageSize = imageSize,
            Hole = HoleSpec.Any,
            Context = ReceptiveRadius(layers),
            Layers = layers,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>How far from an output pixel an input pixel can still change it: half the layers' receptive field.</summary>
    public static int ReceptiveRadius(IReadOnlyList<LayerSpec> layers)
    {
        int stride = 1, field = 1;
        foreach (LayerSpec layer in layers)
        {
            if (layer.Kind == LayerKinds.Upsample)
            {
                stride = Math.Max(1, stride / layer.Stride);
                continue;
            }
            field += (layer.Kernel - 1) * layer.DilationOrOne * stride;
            stride *= layer.Stride;
        }
        return field / 2;
    }

    /// <summary>The U-Net's layers from <paramref name="inputs"/> channels to <paramref name="outputs"/> (see <see cref="UNet"/>).</summary>
    private static IReadOnlyList<LayerSpec> UNetLayers(int inputs, int outputs, IReadOnlyList<int> encoder, IReadOnlyList<int> dilations, IReadOnlyList<int> decoder)
    {
        if (encoder.Count > 0 && decoder.Count != encoder.Count - 1)
            throw new ArgumentException("a U-Net needs one decoder width per halving (encoder widths minus one)");
        var layers = new List<LayerSpec>();
        LayerSpec Conv(int input, int output, int stride = 1, int dilation = 1, int? concat = null, bool last = false) => new()
        {
            Kind = LayerKinds.Conv, InChannels = input, OutChannels = output, Kernel = 3, Stride = stride, Padding = dilation,
            Dilation = dilation == 1 ? null : dilation, Concat = concat,
            Activation = last ? ActivationKinds.None : ActivationKinds.LeakyRelu, Slope = 0.2,
        };
        var skips = new List<(int Layer, int Channels)>();
        if (encoder.Count > 0)
        {
            int channels = inputs;
            for (int i = 0; i < encoder.Count; i++)
            {
                layers.Add(Conv(channels, encoder[i], stride: i == 0 ? 1 : 2));
                channels = encoder[i];
                skips.Add((layers.Count - 1, channels));
            }
            foreach (int d in dilations) layers.Add(Conv(channels, channels, dilation: d));
            for (int i = 0; i < decoder.Count; i++)
            {
                layers.Add(new LayerSpec { Kind = LayerKinds.Upsample, InChannels = channels, OutChannels = channels, Stride = 2, Kernel = 1, Bias = false });
                var (skip, skipChannels) = skips[encoder.Count - 2 - i];
                layers.Add(Conv(channels + skipChannels, decoder[i], concat: skip));
                channels = decoder[i];
            }
            layers.Add(Conv(channels, outputs, last: true));
        }
        return layers;
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
