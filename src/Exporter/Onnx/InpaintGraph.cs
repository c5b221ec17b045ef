using Inpaint.Contract;
using System.Globalization;
using Google.Protobuf;
using Inpaint.Models;
using Onnx;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// Builds the "inpaint/1" ONNX model from a checkpoint. For the context encoder: pre-processing (0..255 to
/// [-1, 1], the spec's fill over the blanked centre square), the generator with BatchNorm folded into its
/// convolutions, post-processing (back to 0..255, clipped, the patch placed back at the centre) and the composite
/// that copies every known pixel from the input. The freeform family's graph is <see cref="FreeformGraph"/>.
/// Opset 17, dynamic batch axis, weights as raw initialisers.
/// </summary>
public static class InpaintGraph
{
    /// <summary>Options of the export.</summary>
    /// <param name="HalfPrecisionWeights">Store weights as float16 (cast to float32 at load).</param>
    /// <param name="ModelName">Graph name and model doc.</param>
    public sealed record Options(bool HalfPrecisionWeights = false, string ModelName = "inpaint");

    /// <summary>Builds the model.</summary>
    /// <exception cref="InvalidDataException">The spec is not a center context encoder this exporter knows.</exception>
    public static ModelProto Build(CheckpointWeights weights, Options options)
    {
        weights.Spec.Validate();
        return weights.Spec.Family switch
        {
            ModelFamily.Freeform => FreeformGraph.Build(weights, options),
            ModelFamily.Detector => DetectorGraph.Build(weights, options, DetectorThreshold(weights.TrainingFacts)),
            _ => BuildCenter(weights, options),
        };
    }

    /// <summary>The threshold a detector's training validated at (its facts' <c>validation.threshold</c>), else the default.</summary>
    private static double DetectorThreshold(string factsJson)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(factsJson)?["validation"]?["threshold"]?.GetValue<double>() ?? DetectorContract.DefaultThreshold;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return DetectorContract.DefaultThreshold;
        }
    }

    private static ModelProto BuildCenter(CheckpointWeights weights, Options options)
    {
        ModelSpec spec = weights.Spec;
        if (spec.Hole.Kind != "center")
            throw new InvalidDataException($"hole kind '{spec.Hole.Kind}' is not supported by this exporter (only 'center')");
        int s = spec.ImageSize;
        CenterSquare patchSquare = CenterSquare.In(s, spec.Hole.Size), blankSquare = patchSquare.Shrink(spec.Hole.Overlap);
        var g = new GraphBuilder(options.ModelName, options.HalfPrecisionWeights);
        g.Graph.Input.Add(GraphBuilder.TensorInfo(ContractNames.ImageInput, "N", 3, s, s));
        g.Graph.Input.Add(GraphBuilder.TensorInfo(ContractNames.MaskInput, "N", 1, s, s));
        g.Graph.Output.Add(GraphBuilder.TensorInfo(ContractNames.Output, "N", 3, s, s));

        string hole = g.Holes(ContractNames.MaskInput);

        // The network's range, then the blanked square gets the fill: x * keep + fill * blank.
        string x = g.Normalise(ContractNames.ImageInput, "normalised");
        float[] keep = SquareMask(s, blankSquare, inside: 0f, outside: 1f);
        float[] fill = new float[3 * s * s];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < s * s; i++) fill[c * s * s + i] = (1f - keep[i]) * spec.Hole.Fill[c];
        string filled = g.Node("Add", [g.Node("Mul", [x, g.Constant("keep", keep, 1, 1, s, s)]), g.Constant("fill", fill, 1, 3, s, s)], output: "generator_input");

        string patch = AddLayers(g, weights, filled);

        // Back to 0..255, clipped; padded to the full image at the patch's place.
        string clipped = g.ToPixels(patch, "generated_patch");
        string pads = g.Int64Constant("pads", [0, 0, patchSquare.Top, patchSquare.Left, 0, 0, s - patchSquare.Bottom, s - patchSquare.Right], 8);
        string padded = g.Node("Pad", [clipped, pads], [StringAttribute("mode", "constant")], output: "generated");

        // Composite: a pixel takes the generated value only where it is a hole inside the generated patch; every
        // other pixel is the input's, copied (Where selects, so known pixels are bit-identical).
        string inPatch = BoolConstant(g, "patch_region", SquareMask(s, patchSquare, inside: 1f, outside: 0f), 1, 1, s, s);
        string take = g.Node("And", [hole, inPatch], output: "replace");
        g.Node("Where", [take, padded, ContractNames.ImageInput], output: ContractNames.Output);

        return Wrap(g, weights, options, $"Inpaint context encoder '{spec.Architecture}' (contract inpaint/1): image and mask 0..255 in, inpainted 0..255 out.");
    }

    /// <summary>Wraps a finished graph into a model with the opset, the producer and the metadata.</summary>
    internal static ModelProto Wrap(GraphBuilder g, CheckpointWeights weights, Options options, string doc,
        IReadOnlyList<KeyValuePair<string, string>>? contract = null)
    {
        var model = new ModelProto
        {
            IrVersion = ContractNames.IrVersion,
            ProducerName = "inpaint-export",
            ProducerVersion = typeof(InpaintGraph).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = doc,
            Graph = g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = ContractNames.Opset });
        foreach (var (key, value) in Metadata(weights, options, contract))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The metadata_props: the contract's keys, then the weights, the spec and the training facts.</summary>
    public static IReadOnlyList<(string Key, string Value)> Metadata(CheckpointWeights weights, Options options,
        IReadOnlyList<KeyValuePair<string, string>>? contract = null)
    {
        ModelSpec spec = weights.Spec;
        var entries = (contract ?? ModelContract.From(spec).ToMetadata()).Select(kv => (kv.Key, kv.Value)).ToList();
        entries.Add((MetadataKeys.Parameters, spec.ParameterCount.ToString(CultureInfo.InvariantCulture)));
        entries.Add((MetadataKeys.Weights, options.HalfPrecisionWeights ? "fp16" : "fp32"));
        entries.Add((MetadataKeys.Spec, spec.ToJson()));
        entries.Add((MetadataKeys.Training, PublishedFacts.Of(weights.TrainingFacts)));
        return entries;
    }

    /// <summary>
    /// <paramref name="input"/> padded at the bottom and right, by edge replication, to multiples of
    /// <paramref name="granularity"/> (a U-Net's stride), and the image's own height and width (int64 [2]) to crop back to.
    /// </summary>
    internal static (string Padded, string Size) PadToGranularity(GraphBuilder g, string input, int granularity, string output)
    {
        string size = g.Node("Gather", [g.Node("Shape", [ContractNames.ImageInput]), g.Int64Constant("hw_axes", [2, 3], 2)], [GraphBuilder.Int("axis", 0)], output: "height_width");
        string granule = g.Int64Constant("granularity", [granularity, granularity], 2);
        string extra = g.Node("Mod", [g.Node("Sub", [granule, g.Node("Mod", [size, granule])]), granule], output: "padding_hw");
        string pads = g.Node("Concat", [g.Int64Constant("no_padding", [0, 0, 0, 0, 0, 0], 6), extra], [GraphBuilder.Int("axis", 0)], output: "granularity_pads");
        return (g.Node("Pad", [input, pads], [StringAttribute("mode", "edge")], output: output), size);
    }

    /// <summary>
    /// Emits the spec's layers after <paramref name="input"/>: convolutions (BatchNorm folded, dilations), transposed
    /// convolutions, nearest-neighbour upsampling and U-Net skips (Concat with an earlier layer's output).
    /// </summary>
    internal static string AddLayers(GraphBuilder g, CheckpointWeights weights, string input)
    {
        string x = input;
        IReadOnlyList<LayerSpec> layers = weights.Spec.Layers;
        var outputs = new string[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            if (layer.Concat is int j) x = g.Node("Concat", [x, outputs[j]], [GraphBuilder.Int("axis", 1)], name: $"block{i}_concat");
            if (layer.Kind == LayerKinds.Upsample)
            {
                string scales = g.Constant("upsample_scales", [1f, 1f, layer.Stride, layer.Stride], 4);
                x = g.Node("Resize", [x, "", scales],
                [
                    StringAttribute("mode", "nearest"), StringAttribute("coordinate_transformation_mode", "asymmetric"),
                    StringAttribute("nearest_mode", "floor"),
                ], name: $"block{i}_upsample");
                outputs[i] = x;
                continue;
            }
            bool transposed = layer.Kind == LayerKinds.ConvTranspose;
            var (w, shape) = weights[$"blocks.{i}.conv.weight"];
            float[]? b = layer.Bias ? weights[$"blocks.{i}.conv.bias"].Values : null;
            if (layer.Norm == NormKinds.Batch)
            {
                var folded = BatchNormFolding.Fold(w, shape, b, transposed,
                    weights[$"blocks.{i}.norm.weight"].Values, weights[$"blocks.{i}.norm.bias"].Values,
                    weights[$"blocks.{i}.norm.running_mean"].Values, weights[$"blocks.{i}.norm.running_var"].Values, layer.Eps);
                (w, b) = (folded.Weight, folded.Bias);
            }
            var inputs = new List<string> { x, g.Weight($"blocks.{i}.weight", w, shape) };
            if (b is not null) inputs.Add(g.Weight($"blocks.{i}.bias", b, b.Length));
            var attributes = new List<AttributeProto>
            {
                GraphBuilder.Ints("kernel_shape", layer.Kernel, layer.Kernel),
                GraphBuilder.Ints("strides", layer.Stride, layer.Stride),
                GraphBuilder.Ints("pads", layer.Padding, layer.Padding, layer.Padding, layer.Padding),
            };
            if (layer.DilationOrOne != 1) attributes.Add(GraphBuilder.Ints("dilations", layer.DilationOrOne, layer.DilationOrOne));
            x = g.Node(transposed ? "ConvTranspose" : "Conv", inputs, attributes, name: $"block{i}_{(transposed ? "convtranspose" : "conv")}");
            x = layer.Activation switch
            {
                ActivationKinds.LeakyRelu => g.Node("LeakyRelu", [x], [GraphBuilder.Float("alpha", (float)layer.Slope)], name: $"block{i}_leakyrelu"),
                ActivationKinds.Relu => g.Node("Relu", [x], name: $"block{i}_relu"),
                ActivationKinds.Tanh => g.Node("Tanh", [x], name: $"block{i}_tanh"),
                _ => x,
            };
            outputs[i] = x;
        }
        return x;
    }

    /// <summary>An SxS plane: <paramref name="inside"/> in <paramref name="square"/>, <paramref name="outside"/> elsewhere.</summary>
    private static float[] SquareMask(int s, CenterSquare square, float inside, float outside)
    {
        var m = new float[s * s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++)
                m[y * s + x] = square.Contains(x, y) ? inside : outside;
        return m;
    }

    internal static string BoolConstant(GraphBuilder g, string prefix, float[] values, params long[] dims)
    {
        string name = g.Fresh(prefix);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Bool };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(values.Select(v => v != 0 ? (byte)1 : (byte)0).ToArray());
        g.Graph.Initializer.Add(t);
        return name;
    }

    internal static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
