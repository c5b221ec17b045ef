using System.Globalization;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// <c>POST /v1/detect</c>: a multipart form with the photo (and optionally <c>threshold</c>) answers the damage the
/// server's detector finds as a mask PNG of the photo's size, white = damage (the mask convention, so it can be edited
/// and sent back to <c>/v1/repair</c>), as <c>inpaint detect</c> writes it. 501 when the server has no detector.
/// </summary>
internal static class DetectEndpoint
{
    /// <summary>The line for a body that is not a multipart form.</summary>
    public const string NotAForm = "send a multipart/form-data form with the file 'image' (the photo to find damage in)";

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("detect", Handle)
            .WithName("Detect")
            .WithSummary("Finds the damage in a photo and answers it as a mask (white = damage)")
            .WithDescription("Multipart form: 'image' (PNG, JPEG, BMP, WebP or TIFF), optional 'threshold' (above 0 and below 1; default: the " +
                             "detector's own). Answers a grey PNG of the photo's size, white where the detector found damage; headers " +
                             "X-Inpaint-Damage-Pixels and X-Inpaint-Threshold.")
            .Accepts<DetectFormSchema>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesServiceProblems();

    private static Task<IResult> Handle(HttpContext context, IInpaintingService service, IOptions<InpaintingHttpLimits> limitOptions, ILogger<DetectFormSchema> logger) =>
        ServiceCall.AnswerAsync(context, logger, "detection", async aborted =>
        {
            InpaintingHttpLimits limits = limitOptions.Value;
            IFormCollection form = await FormFields.ReadAsync(context.Request, limits.MaxBodyBytes, NotAForm, aborted);
            (byte[] image, string name) = await FormFields.FileAsync(form, "image", "the photo", aborted);
            double threshold = FormFields.Number(form, DetectSettings.Threshold);
            ServiceCall.RequireDetector(service);
            using Photo photo = ServiceCall.Decode(new PhotoFile(limits.MaxPixels), image, name);
            DetectionResult found = await service.DetectAsync(photo.Pixels, threshold > 0 ? threshold : null, aborted);
            logger.LogInformation("Found {Damage} damaged pixels in {Name} {Width}x{Height} at {Threshold:0.##}, {ElapsedMs:0} ms",
                found.Damage.Count, name, photo.Width, photo.Height, found.Threshold, found.Elapsed.TotalMilliseconds);
            var headers = context.Response.Headers;
            headers["X-Inpaint-Damage-Pixels"] = found.Damage.Count.ToString(CultureInfo.InvariantCulture);
            headers["X-Inpaint-Threshold"] = found.Threshold.ToString("0.###", CultureInfo.InvariantCulture);
            headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
                $"queue;dur={found.Queued.TotalMilliseconds:0.#}, detect;dur={(found.Elapsed - found.Queued).TotalMilliseconds:0.#}");
            headers.ContentDisposition = "inline; filename=\"damage.png\"";
            return Results.Bytes(MaskPng(found.Damage), "image/png");
        });

    /// <summary>The holes as a grey PNG: white where damage was found, black elsewhere.</summary>
    private static byte[] MaskPng(HoleMap damage)
    {
        using Image<L8> mask = damage.ToMask();
        using var buffer = new MemoryStream();
        mask.Save(buffer, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        return buffer.ToArray();
    }
}

/// <summary>The form of <c>POST /v1/detect</c>, for the OpenAPI description only (the endpoint reads the form itself).</summary>
internal sealed class DetectFormSchema
{
    /// <summary>The photo: PNG, JPEG, BMP, WebP or TIFF.</summary>
    public required IFormFile Image { get; init; }

    /// <summary>The damage probability from which a pixel counts, above 0 and below 1 (default: the detector's own).</summary>
    public double? Threshold { get; init; }
}
