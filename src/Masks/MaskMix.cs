using System.Globalization;

namespace Inpaint.Masks;

/// <summary>
/// A weighted choice among <see cref="MaskKind"/>s, written <c>strokes=3,scratch=2,text=2,box=1,center=1</c>.
/// Each sample picks one kind by weight; with probability <see cref="Combine"/> a second kind is drawn on top.
/// </summary>
public sealed record MaskMix
{
    /// <summary>Weights per kind (only positive weights are kept).</summary>
    public IReadOnlyDictionary<MaskKind, double> Weights { get; }

    /// <summary>Chance that a sample carries a second kind of damage as well.</summary>
    public double Combine { get; init; }

    /// <summary>Creates a mix; weights need not sum to one.</summary>
    /// <exception cref="ArgumentException">No positive weight, or a negative or non-finite one.</exception>
    public MaskMix(IReadOnlyDictionary<MaskKind, double> weights, double combine = 0)
    {
        if (weights.Values.Any(w => w < 0 || !double.IsFinite(w))) throw new ArgumentException("mask weights must be finite and not negative");
        if (combine is < 0 or > 1) throw new ArgumentException("the combine chance must be in [0, 1]");
        Weights = weights.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (Weights.Count == 0) throw new ArgumentException("at least one mask kind needs a positive weight");
        Combine = combine;
    }

    /// <summary>
    /// The default training mix: every kind a user meets, with more of the thin damage that classical fills
    /// already do well and the network must still improve.
    /// </summary>
    public static MaskMix Default { get; } = new(new Dictionary<MaskKind, double>
    {
        [MaskKind.Strokes] = 3, [MaskKind.Scratch] = 2, [MaskKind.Text] = 2, [MaskKind.Box] = 1.5, [MaskKind.Square] = 0.5, [MaskKind.Center] = 1,
    }, combine: 0.15);

    /// <summary>A mix of one kind only.</summary>
    public static MaskMix Only(MaskKind kind) => new(new Dictionary<MaskKind, double> { [kind] = 1 });

    /// <summary>Picks a kind by weight.</summary>
    public MaskKind Pick(Random rng)
    {
        double total = Weights.Values.Sum(), r = rng.NextDouble() * total;
        foreach (var (kind, weight) in Weights.OrderBy(kv => kv.Key))
        {
            r -= weight;
            if (r < 0) return kind;
        }
        return Weights.Keys.Max();
    }

    /// <summary>Parses <c>kind=weight,...</c> (optionally <c>combine=P</c>), or a single kind name.</summary>
    /// <exception cref="FormatException">Unknown kind or bad number; the message says which.</exception>
    public static MaskMix Parse(string text)
    {
        var weights = new Dictionary<MaskKind, double>();
        double combine = 0;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            double value = 1;
            if (kv.Length == 2 && !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw new FormatException($"'{kv[1]}' is not a number in mask mix '{text}'");
            if (kv[0].Equals("combine", StringComparison.OrdinalIgnoreCase)) { combine = value; continue; }
            if (!MaskKinds.TryParse(kv[0], out MaskKind kind))
                throw new FormatException($"unknown mask kind '{kv[0]}' (known: {MaskKinds.Words})");
            weights[kind] = value;
        }
        try
        {
            return new MaskMix(weights, combine);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"mask mix '{text}': {e.Message}");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(",", Weights.OrderBy(kv => kv.Key).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key.Word()}={kv.Value:G4}")))
        + (Combine > 0 ? string.Create(CultureInfo.InvariantCulture, $",combine={Combine:G4}") : "");
}
