namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// A request the server refuses: its status and the one-line message (the CLI's, where the CLI has one). The
/// endpoint turns it into RFC 7807 problem details.
/// </summary>
internal sealed class RequestProblem(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Short titles by status, for the problem's <c>title</c>.</summary>
    public static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad input",
        StatusCodes.Status408RequestTimeout => "Too slow",
        StatusCodes.Status413PayloadTooLarge => "Too large",
        StatusCodes.Status501NotImplemented => "Not available",
        StatusCodes.Status503ServiceUnavailable => "Busy",
        _ => "Server error",
    };
}
