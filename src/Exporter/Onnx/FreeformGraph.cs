using Inpaint.Contract;
using Inpaint.Models;
using Onnx;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// Builds the freeform family's "inpaint/1" graph (<c>inpaint.hole = any</c>), op for op what
/// <see cref="FreeformGenerator"/> computes in TorchSharp:
/// <list type="number">
/// <item>the contract's hole test on the mask, and the image in the network's range (<see cref="PixelNormalisation"/>);</item>
/// <item>the multigrid harmonic pre-fill (<see cref="HarmonicPrefill"/>): AveragePool (2x2, ceil mode) pyramids of
/// x * known and known, the mean known colour, then per level coarse to fine a bilinear Resize, Where (fully known
/// cells keep their mean) and Jacobi sweeps (Pad with edge replication, a fixed depthwise 3x3 Conv, Where);</item>
/// <item>the U-Net on [pre-fill, hole], padded to the network's granularity by edge replication and sliced back;</item>
/// <item>clip(pre-fill + residual) inside the holes, back to 0..255, clipped, and Where(hole, generated, image), so
/// known pixels are the input's own bits.</item>
/// </list>
/// Batch, height and width are symbolic: any size works.
/// </summary>
public static class FreeformGraph
{
    /// <summary>Builds the model.</summary>
    public static ModelProto Build(CheckpointWeights weights, InpaintGraph.Options options)
    {
        ModelSpec spec = weights.Spec;
        var g = new GraphBuilder(options.ModelName, options.HalfPrecisionWeights);
        g.Graph.Input.Add(GraphBuilder.TensorInfo(ContractNames.ImageInput, "N", 3, "H", "W"));
        g.Graph.Input.Add(GraphBuilder.TensorInfo(ContractNames.MaskInput, "N", 1, "H", "W"));
        g.Graph.Output.Add(GraphBuilder.TensorInfo(ContractNames.Output, "N", 3, "H", "W"));

        string holeBool = g.Holes(ContractNames.MaskInput);
        string hole = g.Node("Cast", [holeBool], [GraphBuilder.Int("to", (long)TensorProto.Types.DataType.Float)], output: "hole_float");
        string x = g.Normalise(ContractNames.ImageInput, "normalised");
        string filled = spec.Layers.Count > 0 ? AddPrefillOrInput(g, spec.Prefill!, x, holeBool) : AddPrefill(g, spec.Prefill!, x, hole, holeBool);
        AddRepair(g, weights, filled, hole, holeBool, x);

        string what = spec.Layers.Count == 0 ? "the multigrid harmonic pre-fill alone" : "a U-Net residual over a multigrid harmonic pre-fill";
        return InpaintGraph.Wrap(g, weights, options,
            $"Inpaint freeform model '{spec.Architecture}' (contract inpaint/1, hole any): {what}; image and mask 0..255 of any size in, inpainted 0..255 out.");
    }

    /// <summary>
    /// The U-Net over the pre-filled image and the composite: <c>clip(filled + residual)</c> inside the holes, back to
    /// 0..255, and the known pixels copied from the image. The input is padded to the granularity by edge replication and
    /// the residual sliced back. Without layers (the pre-fill alone) the residual is zero.
    /// </summary>
    private static void AddRepair(GraphBuilder g, CheckpointWeights weights, string filled, string hole, string holeBool, string x)
    {
        ModelSpec spec = weights.Spec;
        string repaired = filled;
        if (spec.Layers.Count > 0)
        {
            string input = g.Node("Concat", [filled, hole], [GraphBuilder.Int("axis", 1)], output: "generator_input");
            var (padded, size) = InpaintGraph.PadToGranularity(g, input, spec.Granularity, "generator_input_padded");
            string residual = InpaintGraph.AddLayers(g, weights, padded);
            string cropped = g.Node("Slice", [residual, g.Int64Constant("crop_starts", [0, 0], 2), size, g.Int64Constant("crop_axes", [2, 3], 2)], output: "residual");
            repaired = g.Node("Add", [filled, cropped], output: "prefill_plus_residual");
        }
        string clipped = g.Node("Clip", [repaired, g.Constant("minus_one", [-1f]), g.Constant("one", [1f])]);
        string composite = g.Node("Where", [holeBool, clipped, x], output: "repaired_normalised");
        string generated = g.ToPixels(composite, "generated");
        g.Node("Where", [holeBool, generated, ContractNames.ImageInput], output: ContractNames.Output);
    }

    /// <summary>
    /// The pre-fill, or the caller's (<see cref="MetadataKeys.Prefilled"/>): the optional input <c>prefilled</c> holds the
    /// image with its holes already filled by this model's pre-fill (0..255). An <c>If</c> takes it when it has the image's
    /// size and runs the graph's own pre-fill otherwise; only the branch taken runs, so a caller that computes the pre-fill
    /// once per photo in fast code runs only the network. The input's default (an overridable initialiser of 3 values)
    /// means consumers that know only the contract's two inputs feed nothing new and get what they always got.
    /// </summary>
    private static string AddPrefillOrInput(GraphBuilder g, PrefillSpec spec, string x, string holeBool)
    {
        g.Graph.Input.Add(GraphBuilder.TensorInfo(ContractNames.PrefilledInput, "N", 3, "H", "W"));
        g.Graph.Initializer.Add(GraphBuilder.FloatTensor(ContractNames.PrefilledInput, [0f, 0f, 0f], 1, 3, 1, 1));
        string given = g.Node("Equal", [g.Node("Size", [ContractNames.PrefilledInput]), g.Node("Size", [ContractNames.ImageInput])], output: "prefilled_given");

        GraphBuilder caller = g.Branch("use_prefilled");
        caller.Graph.Output.Add(GraphBuilder.TensorInfo(caller.Normalise(ContractNames.PrefilledInput, "prefilled_normalised"), "N", 3, "H", "W"));
        GraphBuilder own = g.Branch("run_prefill");
        // The branch casts the hole test itself: ONNX Runtime's optimiser renames outer values such as the main graph's
        // cast, cannot follow them into a branch, and warns about it on every load.
        string branchHole = own.Node("Cast", [holeBool], [GraphBuilder.Int("to", (long)TensorProto.Types.DataType.Float)], output: "prefill_hole_float");
        own.Graph.Output.Add(GraphBuilder.TensorInfo(AddPrefill(own, spec, x, branchHole, holeBool), "N", 3, "H", "W"));
        return g.Node("If", [given], [GraphBuilder.GraphAttribute("then_branch", caller.Graph), GraphBuilder.GraphAttribute("else_branch", own.Graph)], output: "prefill_result");
    }

    /// <summary>Emits <see cref="HarmonicPrefill"/>; returns the filled image (normalised range).</summary>
    private static string AddPrefill(GraphBuilder g, PrefillSpec spec, string x, string hole, string holeBool)
    {
        string known = g.Node("Sub", [g.Constant("one", [1f]), hole], output: "known");
        var colour = new List<string> { g.Node("Mul", [x, known], output: "prefill_colour_0") };
        var weight = new List<string> { known };
        var pool = new[]
        {
            GraphBuilder.Ints("kernel_shape", 2, 2), GraphBuilder.Ints("strides", 2, 2), GraphBuilder.Int("ceil_mode", 1), GraphBuilder.Int("count_include_pad", 0),
        };
        for (int l = 1; l <= spec.Levels; l++)
        {
            colour.Add(g.Node("AveragePool", [colour[l - 1]], pool, output: $"prefill_colour_{l}"));
            weight.Add(g.Node("AveragePool", [weight[l - 1]], pool, output: $"prefill_weight_{l}"));
        }
        string tiny = g.Constant("tiny_weight", [HarmonicPrefill.TinyWeight]);
        string axes = g.Int64Constant("spatial_axes", [2, 3], 2);
        var keep = new[] { GraphBuilder.Int("keepdims", 1) };
        string mean = g.Node("Div", [g.Node("ReduceSum", [colour[0], axes], keep), g.Node("Max", [g.Node("ReduceSum", [weight[0], axes], keep), tiny])], output: "prefill_mean");
        string u = g.Node("Where", [g.Node("Greater", [weight[spec.Levels], g.Constant("zero", [0f])]), g.Node("Div", [colour[spec.Levels], g.Node("Max", [weight[spec.Levels], tiny])]), mean]);
        string kernel = spec.Omega > 0
            ? g.Constant("relaxation_kernel", HarmonicPrefill.RelaxationKernel(spec.Omega), 3, 1, 3, 3)
            : g.Constant("neighbour_kernel", HarmonicPrefill.NeighbourKernel(), 3, 1, 3, 3);
        string edgePads = g.Int64Constant("sweep_pads", [0, 0, 1, 1, 0, 0, 1, 1], 8);
        string fullyKnown = g.Constant("fully_known", [HarmonicPrefill.FullyKnown]);
        for (int l = spec.Levels; l >= 0; l--)
        {
            string own = g.Node("Div", [colour[l], g.Node("Max", [weight[l], tiny])], output: $"prefill_mean_{l}");
            string fixedCells = g.Node("GreaterOrEqual", [weight[l], fullyKnown], output: $"prefill_fixed_{l}");
            if (l < spec.Levels)
                u = g.Node("Resize", [u, "", "", g.Node("Shape", [own])],
                [
                    InpaintGraph.StringAttribute("mode", "linear"), InpaintGraph.StringAttribute("coordinate_transformation_mode", "half_pixel"),
                ]);
            u = g.Node("Where", [fixedCells, own, u]);
            if (spec.Omega > 0 && spec.SweepsAt(l) > 0)
            {
                var (updateRed, updateBlack) = RedBlack(g, own, fixedCells, l);
                for (int sweep = 0; sweep < spec.SweepsAt(l); sweep++)
                    foreach (string update in new[] { updateRed, updateBlack })
                    {
                        string padded = g.Node("Pad", [u, edgePads], [InpaintGraph.StringAttribute("mode", "edge")]);
                        string relaxed = g.Node("Conv", [padded, kernel], [GraphBuilder.Int("group", 3), GraphBuilder.Ints("kernel_shape", 3, 3)]);
                        u = g.Node("Where", [update, relaxed, u]);
                    }
                continue;
            }
            for (int sweep = 0; sweep < spec.SweepsAt(l); sweep++)
            {
                string padded = g.Node("Pad", [u, edgePads], [InpaintGraph.StringAttribute("mode", "edge")]);
                string relaxed = g.Node("Conv", [padded, kernel], [GraphBuilder.Int("group", 3), GraphBuilder.Ints("kernel_shape", 3, 3)]);
                u = g.Node("Where", [fixedCells, own, relaxed]);
            }
        }
        return g.Node("Where", [holeBool, u, x], output: "graph_prefill");
    }

    /// <summary>The cells a red-black sweep updates at one level: free (not fully known) cells with even, then odd, x + y.</summary>
    private static (string Red, string Black) RedBlack(GraphBuilder g, string own, string fixedCells, int level)
    {
        string shape = g.Node("Shape", [own]);
        string zero = g.Int64Constant("int_zero", [0]), step = g.Int64Constant("int_one", [1]);
        string rows = g.Node("Range", [zero, g.Node("Gather", [shape, g.Int64Constant("axis_h", [2])], [GraphBuilder.Int("axis", 0)]), step]);
        string cols = g.Node("Range", [zero, g.Node("Gather", [shape, g.Int64Constant("axis_w", [3])], [GraphBuilder.Int("axis", 0)]), step]);
        string sum = g.Node("Add", [g.Node("Unsqueeze", [rows, g.Int64Constant("unsqueeze_1", [1], 1)]), g.Node("Unsqueeze", [cols, g.Int64Constant("unsqueeze_0", [0], 1)])]);
        string red = g.Node("Equal", [g.Node("Mod", [sum, g.Int64Constant("int_two", [2])]), zero], output: $"prefill_red_{level}");
        string free = g.Node("Not", [fixedCells]);
        return (g.Node("And", [free, red], output: $"prefill_update_red_{level}"), g.Node("And", [free, g.Node("Not", [red])], output: $"prefill_update_black_{level}"));
    }
}
