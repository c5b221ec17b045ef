namespace Inpaint.Cli.Evaluation;

/// <summary>The generated mask kinds of <c>inpaint eval</c>.</summary>
public enum MaskKind
{
    /// <summary>The article's test mask: the centred square of half the tile's side.</summary>
    Center,

    /// <summary>A square of half the tile's side at a random position.</summary>
    Square,

    /// <summary>Thick random brush strokes (free-form holes).</summary>
    Freeform,

    /// <summary>Thin lines across the tile (scratches).</summary>
    Scratch,

    /// <summary>A line of printed text (an overlay to remove).</summary>
    Text,
}
