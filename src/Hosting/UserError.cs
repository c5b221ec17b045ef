namespace Inpaint.Hosting;

/// <summary>
/// Bad input from the user, worded for them (a missing folder, an unusable file, an option that does not fit the
/// run...): the program prints its message as one line and exits with <see cref="ExitCodes.BadInput"/>, no stack trace.
/// Libraries throw typed exceptions; the programs word them and throw this.
/// </summary>
public sealed class UserError : Exception
{
    /// <summary>Creates the error with the line the user reads.</summary>
    public UserError(string message) : base(message) { }

    /// <summary>Creates the error with the line the user reads and the underlying cause (shown with <c>--verbose</c>).</summary>
    public UserError(string message, Exception inner) : base(message, inner) { }
}
