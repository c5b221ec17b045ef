using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Inpaint.Cli;

/// <summary>
/// Range checks for numeric options, done while parsing: a value outside the range is a usage error (exit 2) whose
/// one line names the option, the allowed range and the value given.
/// </summary>
internal static class OptionRanges
{
    /// <summary>Accepts only <paramref name="min"/>..<paramref name="max"/>, both included; <paramref name="note"/> explains a special value.</summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max, string? note = null) where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            T value = result.GetValueOrDefault<T>();
            if (value < min || value > max)
                result.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"{option.Name} must be between {Format(min)} and {Format(max)}{(note is null ? "" : $" ({note})")}; got {Format(value)}"));
        });
        return option;
    }

    private static string Format<T>(T value) where T : INumber<T> =>
        value is long or int && long.CreateChecked(value) >= 10_000 ? long.CreateChecked(value).ToString("N0", CultureInfo.InvariantCulture) : value.ToString(null, CultureInfo.InvariantCulture);
}
