using System.Globalization;

namespace Inpaint.Contract;

/// <summary>
/// Which pixels a model's generator can fill, as written to <c>inpaint.hole</c>: the centred square of a patch
/// model (<c>center:64</c>: the article's context encoder) or any mask at any size (<c>any</c>: the freeform family).
/// </summary>
public abstract record HoleKind
{
    private HoleKind() { }

    /// <summary>The word before the size in <c>center:N</c>.</summary>
    public const string CenterWord = "center";

    /// <summary>The freeform family's hole kind as written: <c>any</c>.</summary>
    public const string AnyWord = "any";

    /// <summary>A patch model: the generator fills only the centred <paramref name="Size"/>-pixel square of its input.</summary>
    public sealed record Center(int Size) : HoleKind
    {
        /// <inheritdoc />
        public override string ToString() => $"{CenterWord}:{Size.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A freeform model: any mask, any height and width.</summary>
    public sealed record Any : HoleKind
    {
        /// <inheritdoc />
        public override string ToString() => AnyWord;
    }

    /// <summary>The freeform family's hole kind.</summary>
    public static HoleKind Freeform { get; } = new Any();

    /// <summary>Parses <c>center:N</c> or <c>any</c>.</summary>
    /// <exception cref="FormatException">Neither form.</exception>
    public static HoleKind Parse(string text)
    {
        if (text == AnyWord) return Freeform;
        string[] parts = text.Split(':');
        if (parts.Length == 2 && parts[0] == CenterWord
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0)
            return new Center(size);
        throw new FormatException($"'{text}' is not a hole kind (center:N or any)");
    }
}
