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
    Freeform,

    /// <summary>Thin lines and curves, 1.5 to 6 pixels wide at 128 px (scratches, cracks, hairs).</summary>
    Scratch,

    /// <summary>Printed words, dates and captions with real glyphs (an overlay to remove).</summary>
    Text,
}
