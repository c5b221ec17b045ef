using Inpaint.Contract;
using Onnx;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// Structural checks before a model is written: typed graph inputs and outputs, an opset import, every node
/// input defined earlier (graph input, initialiser or a previous node's output), unique value names, and the
/// contract's inputs and output present (an inpainter's, or a detector's).
/// </summary>
public static class GraphValidator
{
    /// <summary>Returns the problems found (empty when the model is sound).</summary>
    public static IReadOnlyList<string> Check(ModelProto model)
    {
        var problems = new List<string>();
        GraphProto graph = model.Graph;
        if (graph is null) return ["the model has no graph"];
        if (!model.OpsetImport.Any(o => o.Domain == "" && o.Version > 0)) problems.Add("no default-domain opset import");

        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfoProto input in graph.Input)
        {
            if (input.Type?.TensorType is null || input.Type.TensorType.ElemType == 0) problems.Add($"input '{input.Name}' has no tensor type");
            if (!defined.Add(input.Name)) problems.Add($"input '{input.Name}' is declared twice");
        }
        var inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (TensorProto init in graph.Initializer)
        {
            // An initialiser named like an input is that input's default (ONNX's overridable initialiser).
            if (!defined.Add(init.Name) && !inputs.Contains(init.Name)) problems.Add($"initialiser '{init.Name}' clashes with another value");
            if (init.DataType == 0) problems.Add($"initialiser '{init.Name}' has no data type");
        }
        foreach (NodeProto node in graph.Node)
        {
            if (string.IsNullOrEmpty(node.OpType)) problems.Add($"node '{node.Name}' has no operator");
            foreach (string input in node.Input)
                if (input.Length > 0 && !defined.Contains(input))
                    problems.Add($"node '{node.Name}' ({node.OpType}) reads '{input}', which is not defined before it");
            foreach (string output in node.Output)
                if (!defined.Add(output)) problems.Add($"value '{output}' is produced twice (node '{node.Name}')");
        }
        foreach (ValueInfoProto output in graph.Output)
        {
            if (output.Type?.TensorType is null || output.Type.TensorType.ElemType == 0) problems.Add($"output '{output.Name}' has no tensor type");
            if (!defined.Contains(output.Name)) problems.Add($"output '{output.Name}' is never produced");
        }
        // A detector (inpaint.task detect) takes the image alone and answers its damage; an inpainter takes image and mask.
        bool detector = model.MetadataProps.Any(m => m.Key == MetadataKeys.Task && m.Value == ContractNames.DetectTask);
        string[] contractInputs = detector ? [ContractNames.ImageInput] : [ContractNames.ImageInput, ContractNames.MaskInput];
        string contractOutput = detector ? ContractNames.DamageOutput : ContractNames.Output;
        foreach (string name in contractInputs)
            if (!graph.Input.Any(i => i.Name == name)) problems.Add($"the contract's input '{name}' is missing");
        if (!graph.Output.Any(o => o.Name == contractOutput)) problems.Add($"the contract's output '{contractOutput}' is missing");
        if (!model.MetadataProps.Any(m => m.Key == MetadataKeys.Contract)) problems.Add($"metadata '{MetadataKeys.Contract}' is missing");
        return problems;
    }
}
