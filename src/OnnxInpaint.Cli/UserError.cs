namespace Inpaint.Cli;

/// <summary>Bad input: printed as one line, exit code 1.</summary>
public sealed class UserError(string message) : Exception(message);
