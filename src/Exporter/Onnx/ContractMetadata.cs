namespace Inpaint.Exporter.Onnx;

/// <summary>Names and keys of the ONNX contract "inpaint/1" (DESIGN.md).</summary>
public static class ContractMetadata
{
    /// <summary>The contract version this exporter writes.</summary>
    public const string ContractVersion = "1";

    /// <summary>Input: float32 [N,3,H,W], RGB 0..255.</summary>
    public const string ImageInput = "image";

    /// <summary>Input: float32 [N,1,H,W], 0..255, hole where &gt;= 127.5.</summary>
    public const string MaskInput = "mask";

    /// <summary>Output: float32 [N,3,H,W], RGB 0..255; known pixels equal the input.</summary>
    public const string Output = "inpainted";

    /// <summary>The threshold on the mask input.</summary>
    public const float MaskThreshold = 127.5f;

    /// <summary>ONNX operator set of the graph.</summary>
    public const long Opset = 17;

    /// <summary>ONNX IR version matching opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary><c>inpaint.contract</c>: "1".</summary>
    public const string Contract = "inpaint.contract";

    /// <summary><c>inpaint.arch</c>: architecture name.</summary>
    public const string Architecture = "inpaint.arch";

    /// <summary><c>inpaint.image_size</c>: H = W of a patch model.</summary>
    public const string ImageSize = "inpaint.image_size";

    /// <summary><c>inpaint.hole</c>: e.g. <c>center:64</c>.</summary>
    public const string Hole = "inpaint.hole";

    /// <summary><c>inpaint.stride</c>: the network's total downsampling factor.</summary>
    public const string Stride = "inpaint.stride";

    /// <summary><c>inpaint.blank</c>: side of the square the graph fills before the generator (hole minus overlap).</summary>
    public const string Blank = "inpaint.blank";

    /// <summary><c>inpaint.parameters</c>: generator parameter count.</summary>
    public const string Parameters = "inpaint.parameters";

    /// <summary><c>inpaint.weights</c>: <c>fp32</c> or <c>fp16</c>.</summary>
    public const string Weights = "inpaint.weights";

    /// <summary><c>inpaint.spec</c>: the model spec JSON.</summary>
    public const string Spec = "inpaint.spec";

    /// <summary><c>inpaint.training</c>: training facts JSON from the checkpoint.</summary>
    public const string Training = "inpaint.training";
}
