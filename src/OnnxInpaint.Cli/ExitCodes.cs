namespace Inpaint.Cli;

/// <summary>The <c>inpaint</c> command's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Ok = 0;

    /// <summary>Bad input (a missing or damaged file, a mask of the wrong size...), or some files of a folder failed.</summary>
    public const int BadInput = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>An unexpected failure (a bug).</summary>
    public const int Internal = 3;
}
