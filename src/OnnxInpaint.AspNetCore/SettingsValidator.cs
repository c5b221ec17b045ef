using Microsoft.Extensions.Options;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Validates options with their own <c>Problems</c> list (every setting out of its <see cref="Setting{T}"/> range, in
/// the command line's words), so a host refuses a bad configuration at start-up with one line per problem.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <param name="problems">The problems of a value of the options.</param>
public sealed class SettingsValidator<TOptions>(Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions> where TOptions : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = problems(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
