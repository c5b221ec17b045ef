namespace Inpaint.Trainer;

/// <summary>
/// Bad input from the user (a missing folder, an unusable file, a mismatched resume folder...). The command
/// line prints its message as one line and exits with code 1, without a stack trace.
/// </summary>
public sealed class UserInputException : Exception
{
    /// <summary>Creates the exception with the message the user will read.</summary>
    public UserInputException(string message) : base(message) { }

    /// <summary>Creates the exception with the message the user will read and the underlying cause.</summary>
    public UserInputException(string message, Exception inner) : base(message, inner) { }
}
