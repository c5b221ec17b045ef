namespace Inpaint.Contract;

/// <summary>
/// The model families. Each has one word, used in code, on the command line, in the docs and in metadata:
/// <c>center</c> and <c>freeform</c> (inpainters), <c>detector</c> (finds the damage to repair).
/// </summary>
public enum ModelFamily
{
    /// <summary>
    /// <c>center</c>: the article's context encoder (Pathak et al. 2016). The generator sees a window with its centred
    /// square blanked and fills that square (contract hole <c>center:N</c>).
    /// </summary>
    Center,

    /// <summary>
    /// <c>freeform</c>: any mask at any size. A classical pre-fill inside the graph, plus a learned residual in the holes
    /// (contract hole <c>any</c>).
    /// </summary>
    Freeform,

    /// <summary>
    /// <c>detector</c>: not an inpainter but its helper. A U-Net over the photo gives each pixel the probability that it
    /// is damage (a scratch, dust, a caption...), which thresholded is a mask for the inpainters (<c>inpaint.task</c>
    /// <c>detect</c>, output <see cref="ContractNames.DamageOutput"/>).
    /// </summary>
    Detector,
}

/// <summary>The families' words, written and read.</summary>
public static class ModelFamilies
{
    /// <summary>The center family's word.</summary>
    public const string CenterWord = "center";

    /// <summary>The freeform family's word.</summary>
    public const string FreeformWord = "freeform";

    /// <summary>The detector family's word.</summary>
    public const string DetectorWord = "detector";

    // Spec format 1 named the center family by the article's term, or not at all; both still read.
    private const string ArticleWord = "context_encoder";

    /// <summary>The family's word.</summary>
    public static string Word(this ModelFamily family) => family switch
    {
        ModelFamily.Center => CenterWord,
        ModelFamily.Freeform => FreeformWord,
        ModelFamily.Detector => DetectorWord,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown model family"),
    };

    /// <summary>Reads a family's word; null (a spec of format 1) is the center family.</summary>
    /// <exception cref="InvalidDataException">An unknown word.</exception>
    public static ModelFamily Parse(string? word) => word switch
    {
        null or CenterWord or ArticleWord => ModelFamily.Center,
        FreeformWord => ModelFamily.Freeform,
        DetectorWord => ModelFamily.Detector,
        _ => throw new InvalidDataException($"unknown model family '{word}' (known: {CenterWord}, {FreeformWord}, {DetectorWord})"),
    };
}
