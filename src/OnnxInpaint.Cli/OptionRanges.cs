using System.CommandLine;
using System.Numerics;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli;

/// <summary>
/// Options from their <see cref="Setting{T}"/> definitions, range-checked while parsing: a value outside the range is a
/// usage error (exit 2) whose one line names the option, the allowed range and the value given, in the same words the
/// service uses for its configuration.
/// </summary>
internal static class OptionRanges
{
    /// <summary>
    /// The option <c>--NAME</c> of a setting (or <paramref name="name"/>, where a command already uses that name for
    /// something else): its help (or <paramref name="description"/>), default and range.
    /// </summary>
    public static Option<T> ToOption<T>(this Setting<T> setting, string? description = null, string? name = null)
        where T : struct, IComparable<T>, IFormattable
    {
        var option = new Option<T>(name ?? "--" + setting.Name) { Description = description ?? setting.Help, DefaultValueFactory = _ => setting.Default };
        option.Validators.Add(result =>
        {
            if (setting.Check(result.GetValueOrDefault<T>(), option.Name) is { } problem) result.AddError(problem);
        });
        return option;
    }

    /// <summary>Accepts only the given words (a usage error names them otherwise).</summary>
    public static Option<T> Only<T>(this Option<T> option, params string[] words)
    {
        option.AcceptOnlyFromAmong(words);
        return option;
    }

    /// <summary>
    /// Accepts only <paramref name="min"/>..<paramref name="max"/>, both included, for an option of one command that no
    /// other front end has; <paramref name="note"/> explains a special value.
    /// </summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max, string? note = null) where T : struct, INumber<T>, IFormattable
    {
        var setting = new Setting<T>(option.Name.TrimStart('-'), default, min, max, option.Description ?? "", note);
        option.Validators.Add(result =>
        {
            if (setting.Check(result.GetValueOrDefault<T>(), option.Name) is { } problem) result.AddError(problem);
        });
        return option;
    }
}
