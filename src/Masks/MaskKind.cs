namespace Inpaint.Masks;

/// <summary>The kinds of damage the mask generators draw.</summary>
public enum MaskKind
{
    /// <summary>The article's test hole: the centred square of half the shorter side.</summary>
    Center,

    /// <summary>A square of half the shorter side at a random place.</summary>
    Square,

    /// <summary>One or two rectangles of random size and place (torn or missing regions, objects).</summary>
    Box,

    /// <summary>Thick random brush strokes, as in DeepFill v2 and LaMa (what a user paints over an object).</summary>
    Strokes,

    /// <summary>Thin lines and curves, 1.5 to 6 pixels wide at 128 px (scratches, cracks, hairs).</summary>
    Scratch,

    /// <summary>Printed words, dates and captions with real glyphs (an overlay to remove).</summary>
    Text,
}

/// <summary>The mask kinds' words (<c>center</c>, <c>square</c>, <c>box</c>, <c>strokes</c>, <c>scratch</c>, <c>text</c>), written and read.</summary>
public static class MaskKinds
{
    // What the strokes were called before "freeform" became the model family's word; still read.
    private const string OldStrokesWord = "freeform";

    /// <summary>The kinds <c>inpaint eval</c> and freeform validation report, in report order (<c>all</c>).</summary>
    public static IReadOnlyList<MaskKind> Evaluated { get; } = [MaskKind.Center, MaskKind.Square, MaskKind.Strokes, MaskKind.Scratch, MaskKind.Text];

    /// <summary>The kind's word.</summary>
    public static string Word(this MaskKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Every kind's word, for messages.</summary>
    public static string Words => string.Join(", ", Enum.GetValues<MaskKind>().Select(Word));

    /// <summary>Reads a kind's word (any case; <c>freeform</c> is still read as <see cref="MaskKind.Strokes"/>).</summary>
    public static bool TryParse(string word, out MaskKind kind)
    {
        if (word.Equals(OldStrokesWord, StringComparison.OrdinalIgnoreCase))
        {
            kind = MaskKind.Strokes;
            return true;
        }
        return Enum.TryParse(word, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(word, out _);
    }
}
