namespace Inpaint.Hosting;

/// <summary>The exit codes of every Inpaint program (<c>inpaint</c>, <c>inpaint-train</c>, <c>inpaint-export</c>, the server).</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Ok = 0;

    /// <summary>Bad input (a missing, damaged or truncated file, a mask of the wrong size, an output that cannot be written...), or some files of a folder failed.</summary>
    public const int BadInput = 1;

    /// <summary>The command line is wrong (an unknown option, a value out of its range...).</summary>
    public const int Usage = 2;

    /// <summary>An unexpected failure (a bug).</summary>
    public const int Internal = 3;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it); finished outputs are complete, the one in progress is not written.</summary>
    public const int Interrupted = 130;
}
