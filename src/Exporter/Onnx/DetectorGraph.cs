using Inpaint.Contract;
using Inpaint.Models;
using Onnx;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// Builds a damage detector's graph (<see cref="DetectorContract"/>), op for op what <see cref="DamageNet.Probabilities"/>
/// computes in TorchSharp: the image in the network's range, padded to the granularity by edge replication, the U-Net,
/// the logit sliced back to the image's size, and a Sigmoid: <c>damage</c> [N,1,H,W] in 0..1. Batch, height and width
/// are symbolic.
/// </summary>
public static class DetectorGraph
{
    /// <summary>Builds the model with the threshold its training chose.</summary>
    public static ModelProto Build(CheckpointWeights weights, InpaintGraph.Options options, double threshold)
    {
        ModelSpec spec = weights.Spec;
        var g = new GraphBuilder(options.ModelName, options.HalfPrecisionWeights);
        g.Graph.Input.Add(GraphBuilder.TensorInfo(ContractNames.ImageInput, "N", 3, "H", "W"));
        g.Graph.Output.Add(GraphBuilder.TensorInfo(ContractNames.DamageOutput, "N", 1, "H", "W"));

        string x = g.Normalise(ContractNames.ImageInput, "normalised");
        var (padded, size) = InpaintGraph.PadToGranularity(g, x, spec.Granularity, "detector_input_padded");
        string logits = InpaintGraph.AddLayers(g, weights, padded);
        string cropped = g.Node("Slice", [logits, g.Int64Constant("crop_starts", [0, 0], 2), size, g.Int64Constant("crop_axes", [2, 3], 2)], output: "damage_logit");
        g.Node("Sigmoid", [cropped], output: ContractNames.DamageOutput);

        var model = InpaintGraph.Wrap(g, weights, options,
            $"Inpaint damage detector '{spec.Architecture}' (contract inpaint/1, task detect): image 0..255 of any size in, damage probability 0..1 out.",
            DetectorContract.From(spec, threshold).ToMetadata());
        return model;
    }
}
