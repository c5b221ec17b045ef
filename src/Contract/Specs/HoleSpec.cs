using System.Text.Json.Serialization;

namespace Inpaint.Contract;

/// <summary>
/// Where the generator's hole lies and what it fills, as the checkpoint and the ONNX metadata describe it.
/// </summary>
public sealed record HoleSpec
{
    /// <summary><see cref="CenterKind"/>: the generator fills the centred square of <see cref="Size"/> pixels; or <see cref="AnyKind"/>.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = CenterKind;

    /// <summary>Side of the square hole the generator's patch covers, in pixels.</summary>
    [JsonPropertyName("size")] public int Size { get; init; } = 64;

    /// <summary>
    /// Pathak's overlap: the blanked square is smaller than the patch by this many pixels on each side, and
    /// the loss weighs that rim more. 0 (the article) blanks the whole patch.
    /// </summary>
    [JsonPropertyName("overlap")] public int Overlap { get; init; }

    /// <summary>Fill of the blanked pixels in the network's [-1, 1] range, one value per RGB channel.</summary>
    [JsonPropertyName("fill")] public float[] Fill { get; init; } = [1f, 1f, 1f];

    /// <summary>The contract's hole kind this spec's hole is.</summary>
    public HoleKind ToHoleKind() => Kind == AnyKind ? HoleKind.Freeform : new HoleKind.Center(Size);

    /// <summary>The value written to <c>inpaint.hole</c>: <c>center:64</c>, or <c>any</c> for the freeform family.</summary>
    public string Describe() => ToHoleKind().ToString();

    /// <summary>The hole kind of the center family: a centred square.</summary>
    public const string CenterKind = HoleKind.CenterWord;

    /// <summary>The hole kind of the freeform family: any mask at any size.</summary>
    public const string AnyKind = HoleKind.AnyWord;

    /// <summary>The hole of a freeform model.</summary>
    public static HoleSpec Any { get; } = new() { Kind = AnyKind, Size = 0, Overlap = 0, Fill = [0f, 0f, 0f] };
}
