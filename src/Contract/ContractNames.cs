namespace Inpaint.Contract;

/// <summary>
/// The fixed names and numbers of the ONNX contract "inpaint/1": what the exporter writes and every consumer
/// (the runtime library, ML.NET, Python onnxruntime) relies on. See docs/design.md.
/// </summary>
public static class ContractNames
{
    /// <summary>The contract version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Input: float32 [N,3,H,W], RGB, 0..255.</summary>
    public const string ImageInput = "image";

    /// <summary>Input: float32 [N,1,H,W], 0..255; a pixel is a hole where the value is at least <see cref="MaskThreshold"/>.</summary>
    public const string MaskInput = "mask";

    /// <summary>Output: float32 [N,3,H,W], RGB 0..255, clipped; pixels outside the hole equal the input exactly.</summary>
    public const string Output = "inpainted";

    /// <summary>
    /// Optional input of freeform models that announce <see cref="MetadataKeys.Prefilled"/>: float32 [N,3,H,W], 0..255,
    /// the image with its holes already filled by the model's own pre-fill (<c>inpaint.prefill</c>). Fed with the image's
    /// size, the graph uses it instead of computing its pre-fill; it has a default, so consumers of the two contract
    /// inputs never feed it and get the same output.
    /// </summary>
    public const string PrefilledInput = "prefilled";

    /// <summary>Output of a damage detector (<see cref="MetadataKeys.Task"/> <c>detect</c>): float32 [N,1,H,W], 0..1, the probability that a pixel is damage.</summary>
    public const string DamageOutput = "damage";

    /// <summary>The <see cref="MetadataKeys.Task"/> of a damage detector.</summary>
    public const string DetectTask = "detect";

    /// <summary>The threshold on the mask input.</summary>
    public const float MaskThreshold = 127.5f;

    /// <summary>ONNX operator set of the graph.</summary>
    public const long Opset = 17;

    /// <summary>ONNX IR version matching opset 17.</summary>
    public const long IrVersion = 8;
}

/// <summary>The <c>metadata_props</c> keys of an "inpaint/1" model.</summary>
public static class MetadataKeys
{
    /// <summary><c>inpaint.contract</c>: the contract version, "1".</summary>
    public const string Contract = "inpaint.contract";

    /// <summary><c>inpaint.arch</c>: architecture name.</summary>
    public const string Architecture = "inpaint.arch";

    /// <summary><c>inpaint.image_size</c>: H = W of a patch model; the training tile of a freeform model.</summary>
    public const string ImageSize = "inpaint.image_size";

    /// <summary><c>inpaint.hole</c>: <c>center:N</c> or <c>any</c> (see <see cref="HoleKind"/>).</summary>
    public const string Hole = "inpaint.hole";

    /// <summary><c>inpaint.stride</c>: the network's total downsampling factor (a freeform graph pads H and W to it internally).</summary>
    public const string Stride = "inpaint.stride";

    /// <summary><c>inpaint.blank</c>: side of the square a centre model blanks before the generator (hole minus overlap).</summary>
    public const string Blank = "inpaint.blank";

    /// <summary><c>inpaint.min_size</c>: smallest height and width a freeform model gives useful results for.</summary>
    public const string MinSize = "inpaint.min_size";

    /// <summary><c>inpaint.context</c>: known pixels a freeform model wants around a hole, per side, for full quality.</summary>
    public const string Context = "inpaint.context";

    /// <summary><c>inpaint.prefill</c>: the classical fill inside a freeform graph, e.g. <c>multigrid_harmonic</c>.</summary>
    public const string Prefill = "inpaint.prefill";

    /// <summary>
    /// <c>inpaint.prefilled</c>: <c>1</c> when a freeform model takes its pre-fill from the caller on request (the optional
    /// input <see cref="ContractNames.PrefilledInput"/>).
    /// </summary>
    public const string Prefilled = "inpaint.prefilled";

    /// <summary>
    /// <c>inpaint.task</c>: absent for an inpainter; <c>detect</c> for a damage detector, which takes <c>image</c> alone and
    /// answers <see cref="ContractNames.DamageOutput"/> (see <see cref="DetectorContract"/>).
    /// </summary>
    public const string Task = "inpaint.task";

    /// <summary><c>inpaint.threshold</c>: the probability above which a detector's pixel counts as damage, as tuned on held-out photos.</summary>
    public const string Threshold = "inpaint.threshold";

    /// <summary><c>inpaint.parameters</c>: generator parameter count.</summary>
    public const string Parameters = "inpaint.parameters";

    /// <summary><c>inpaint.weights</c>: <c>fp32</c> or <c>fp16</c>.</summary>
    public const string Weights = "inpaint.weights";

    /// <summary><c>inpaint.spec</c>: the model spec JSON.</summary>
    public const string Spec = "inpaint.spec";

    /// <summary><c>inpaint.training</c>: training facts JSON from the checkpoint.</summary>
    public const string Training = "inpaint.training";

    /// <summary>Keys every model must carry.</summary>
    public static IReadOnlyList<string> Required { get; } = [Contract, Architecture, ImageSize, Hole];
}
