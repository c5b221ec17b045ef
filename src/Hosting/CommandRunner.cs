using System.CommandLine;

namespace Inpaint.Hosting;

/// <summary>
/// Parses and runs a program's command line and turns every outcome into one of <see cref="ExitCodes"/>: usage errors
/// one line each (exit 2), bad input one line (exit 1, the cause with <c>--verbose</c>), Ctrl-C or SIGTERM exit 130,
/// anything else an internal error (exit 3, the stack trace with <c>--verbose</c>). Never throws.
/// </summary>
public sealed class CommandRunner
{
    private readonly string tool;

    /// <summary>Creates the runner of <paramref name="tool"/> (the name its messages use, e.g. <c>inpaint</c>).</summary>
    /// <param name="tool">The program's name.</param>
    /// <param name="verboseHelp">What <c>--verbose</c> shows, for the help text.</param>
    public CommandRunner(string tool, string verboseHelp)
    {
        this.tool = tool;
        Verbose = new Option<bool>("--verbose", "-v") { Description = verboseHelp, Recursive = true };
    }

    /// <summary><c>--verbose</c>, on every subcommand; commands read it for their own details.</summary>
    public Option<bool> Verbose { get; }

    /// <summary>
    /// Adds <see cref="Verbose"/> to <paramref name="root"/>, parses <paramref name="args"/> and invokes the chosen
    /// command. <paramref name="cancellation"/> is Ctrl-C or SIGTERM; <paramref name="beforeInvoke"/> runs after a
    /// successful parse (a test seam: it may throw, to check how failures are reported).
    /// </summary>
    public int Run(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default,
        Action? beforeInvoke = null)
    {
        if (!root.Options.Contains(Verbose)) root.Options.Add(Verbose);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line per problem, the pointer to the help on the same line.
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message} (see '{tool} --help')");
            return ExitCodes.Usage;
        }
        try
        {
            beforeInvoke?.Invoke();
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(e, parsed.GetValue(Verbose), stderr, cancellation);
        }
    }

    /// <summary>Writes the line for a failure and returns its exit code (see the class summary).</summary>
    public static int Report(Exception e, bool verbose, TextWriter stderr, CancellationToken cancellation = default)
    {
        if (e is OperationCanceledException && cancellation.IsCancellationRequested)
        {
            stderr.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }
        if (IsBadInput(e))
        {
            stderr.WriteLine($"error: {e.Message}");
            if (verbose && e.InnerException is not null) stderr.WriteLine($"  cause: {e.InnerException.Message}");
            return ExitCodes.BadInput;
        }
        stderr.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
        if (verbose) stderr.WriteLine(e);
        else stderr.WriteLine("run again with --verbose for details");
        return ExitCodes.Internal;
    }

    /// <summary>
    /// Whether the failure is the input's, not a bug: <see cref="UserError"/>, and what the libraries throw for files
    /// and data they cannot use (missing, damaged, unreadable, unwritable, of an unsupported kind; a device that is not
    /// there).
    /// </summary>
    public static bool IsBadInput(Exception e) => e is UserError or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException or IOException;
}
