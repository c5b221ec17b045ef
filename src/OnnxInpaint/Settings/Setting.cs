using System.Globalization;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// One option as every front end offers it: its name, default, allowed range and help text. The <c>inpaint</c>
/// command's options, the service's configuration and the HTTP form bind the same definitions, so a value out of range
/// is refused everywhere with the same words (only the option's name differs: <c>--feather</c>,
/// <c>Inpaint:Repair:Feather</c>, <c>feather</c>).
/// </summary>
/// <typeparam name="T">A number or a time span.</typeparam>
/// <param name="Name">The option's words, lower case with hyphens (the command line's spelling without <c>--</c>).</param>
/// <param name="Default">The value when none is given.</param>
/// <param name="Min">The smallest value allowed.</param>
/// <param name="Max">The largest value allowed.</param>
/// <param name="Help">What the option does, one sentence.</param>
/// <param name="Note">What a special value in the range means (e.g. "0: the model's own"), shown with the range.</param>
public sealed record Setting<T>(string Name, T Default, T Min, T Max, string Help, string? Note = null)
    where T : struct, IComparable<T>, IFormattable
{
    /// <summary>Whether <paramref name="value"/> is in the range, ends included.</summary>
    public bool Allows(T value) => value.CompareTo(Min) >= 0 && value.CompareTo(Max) <= 0;

    /// <summary>
    /// Null when <paramref name="value"/> is allowed; otherwise the one line every front end gives, naming the option
    /// as its user knows it, e.g. <c>--grow must be between 0 and 256; got 300</c>.
    /// </summary>
    public string? Check(T value, string shownName) => Allows(value) ? null : OutOfRange(shownName, value);

    /// <summary>The line for a value out of range (see <see cref="Check"/>).</summary>
    public string OutOfRange(string shownName, T value) =>
        $"{shownName} must be between {Format(Min)} and {Format(Max)}{(Note is null ? "" : $" ({Note})")}; got {Format(value)}";

    /// <summary>The value as messages show it: large whole numbers with thousands separators, invariant culture.</summary>
    public static string Format(T value) => value switch
    {
        int i when Math.Abs((long)i) >= 10_000 => i.ToString("N0", CultureInfo.InvariantCulture),
        long l when Math.Abs(l) >= 10_000 => l.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString(null, CultureInfo.InvariantCulture),
    };
}
