namespace Inpaint.Masks;

/// <summary>
/// The kinds of damage <see cref="DamageRenderer"/> draws onto photos for the damage detector: what scanned prints,
/// slides and negatives show. Each has one word (<see cref="DamageKinds.Word"/>) used on the command line and in reports.
/// </summary>
public enum DamageKind
{
    /// <summary><c>scratch</c>: 1 to 4 long curved scratches, 1 to 6 px, bright (emulsion gone) or dark, soft-edged, partly opaque.</summary>
    Scratch,

    /// <summary><c>hairline</c>: thin wandering cracks and hairs under 1.5 px, bright or dark.</summary>
    Hairline,

    /// <summary><c>dust</c>: specks and small blobs, 1 to 6 px across, bright or dark.</summary>
    Dust,

    /// <summary><c>text</c>: captions, date stamps and watermarks in several colours, some with a shadow, some see-through.</summary>
    Text,

    /// <summary><c>stain</c>: water marks and stains, soft-edged blotches that tint the photo.</summary>
    Stain,

    /// <summary><c>corner</c>: a torn or missing corner or edge, in paper white, black or yellowed paper.</summary>
    Corner,

    /// <summary><c>crease</c>: a fold line across the print, a bright crack with a darker shadow beside it.</summary>
    Crease,
}

/// <summary>The damage kinds' words.</summary>
public static class DamageKinds
{
    /// <summary>Every kind, in order.</summary>
    public static IReadOnlyList<DamageKind> All { get; } = Enum.GetValues<DamageKind>();

    /// <summary>The kind's word.</summary>
    public static string Word(this DamageKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The kind a word names (any case); null for an unknown word.</summary>
    public static DamageKind? Parse(string word)
    {
        foreach (DamageKind kind in All)
            if (string.Equals(kind.Word(), word.Trim(), StringComparison.OrdinalIgnoreCase)) return kind;
        return null;
    }
}
