
namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// What the endpoints that call the inpainting service share: an upload decoded as the CLI decodes it, and every
/// refusal and failure of the request or the service as RFC 7807 problem details whose <c>detail</c> is one line
/// (400 bad input, 413 over a size limit, 501 no detector, 503 busy, timed out or stopping, 500 a model failure).
/// </summary>
internal static class ServiceCall
{
    /// <summary>Runs <paramref name="handle"/> and answers its refusals and the service's failures as problems.</summary>
    /// <param name="context">The request (its abort token is passed on).</param>
    /// <param name="logger">Logs refusals at information and a full queue at warning.</param>
    /// <param name="operation">"repair" or "detection", for the log.</param>
    /// <param name="handle">The endpoint's work.</param>
    public static async Task<IResult> AnswerAsync(HttpContext context, ILogger logger, string operation, Func<CancellationToken, Task<IResult>> handle)
    {
        CancellationToken aborted = context.RequestAborted;
        try
        {
            return await handle(aborted);
        }
        catch (RequestProblem e)
        {
            logger.LogInformation("Refused a {Operation} ({Status}): {Reason}", operation, e.Status, e.Message);
            return Problem(e.Status, e.Message);
        }
        catch (InpaintingQueueFullException e)
        {
            logger.LogWarning("Refused a {Operation} (503): {Reason}", operation, e.Message);
            context.Response.Headers.RetryAfter = "1";
            return Problem(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is "request" or "threshold")
        {
            return Problem(StatusCodes.Status400BadRequest, FirstLine(e.Message));
        }
        catch (LargeHolesException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.NoKnownPixel ? $"{e.Message} (if white marks what to keep, send invert=true)"
                : $"{e.Message}: if white marks what to keep, send invert=true; to repair it anyway, allowLargeHoles=true");
        }
        catch (PhotoTooSmallException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (TimeoutException e)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: nobody reads an answer.
            logger.LogInformation("The client gave up before the {Operation} finished", operation);
            return Results.Empty;
        }
        catch (ObjectDisposedException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "the server is stopping");
        }
        catch (InpaintModelException e)
        {
            // Logged by the service with its cause; the client gets one line.
            return Problem(StatusCodes.Status500InternalServerError, e.Message);
        }
    }

    /// <summary>Decodes an upload as the CLI does; a file over the pixel limit is 413, any other refusal 400, same message.</summary>
    public static Photo Decode(PhotoFile files, byte[] bytes, string name)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return files.Open(stream, name);
        }
        catch (ImageTooLargeException e)
        {
            throw new RequestProblem(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new RequestProblem(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    /// <summary>The service's detector, or a 501 that says how to configure one.</summary>
    public static void RequireDetector(IInpaintingService service)
    {
        if (service.Detector is null)
            throw new RequestProblem(StatusCodes.Status501NotImplemented,
                $"this server has no damage detector: start it with {InpaintingOptions.Section}:{nameof(InpaintingOptions.DetectorPath)} set to one");
    }

    /// <summary>The problems every endpoint that calls the service may answer, for the OpenAPI description.</summary>
    public static RouteHandlerBuilder ProducesServiceProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status408RequestTimeout)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status501NotImplemented)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status500InternalServerError);

    /// <summary>A problem-details answer.</summary>
    public static IResult Problem(int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: RequestProblem.Title(status));

    /// <summary>The first line of an exception message (ArgumentException appends the parameter name on a line of its own).</summary>
    private static string FirstLine(string message) => message.Split('\n')[0].Split(" (Parameter")[0].Trim();
}
