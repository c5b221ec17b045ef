using System.Globalization;
using Inpaint.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// <c>POST /v1/repair</c>: a multipart form with the photo and the mask (the CLI's mask rules: luminance, alpha,
/// invert, grow) and/or <c>auto=true</c> (the damage detector's holes too, as <c>repair --auto</c>) answers the
/// repaired photo, in the photo's format unless <c>format</c> says otherwise. Refusals are
/// RFC 7807 problem details whose <c>detail</c> is the line the CLI prints: 400 bad input, 413 over a size limit,
/// 503 when the queue is full or the repair outlasts the timeout.
/// </summary>
internal static class RepairEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("repair", Handle)
            .WithName("Repair")
            .WithSummary("Repairs a photo where the mask is white, or where the damage detector finds damage")
            .WithDescription("Multipart form: 'image' (PNG, JPEG, BMP, WebP or TIFF), 'mask' (white = repair, or transparent where the mask has alpha; " +
                             "optional with 'auto'), 'auto' (true: also repair the damage the server's detector finds), 'threshold' (the detector's, 0 < t < 1), " +
                             "optional 'invert' (true: black = repair), 'grow' (0-256 px), 'resizeMask' (true: scale a mask of another size), " +
                             "'format' (png, jpeg, webp, bmp or tiff; default: the photo's), 'fill' (auto, smooth or texture), 'seed', 'variants' (1 to the server's " +
                             "limit). Answers the repaired photo; with variants > 1, a multipart/form-data body of parts variant-1, variant-2, ...")
            .Accepts<RepairFormSchema>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: ImageFormats.ContentTypes[1..])
            .ProducesServiceProblems();

    private static Task<IResult> Handle(HttpContext context, IInpaintingService service, IOptions<InpaintingHttpLimits> limitOptions,
        IOptions<InpaintingOptions> serviceOptions, ILogger<RepairForm> logger) =>
        ServiceCall.AnswerAsync(context, logger, "repair", async aborted =>
        {
            InpaintingHttpLimits limits = limitOptions.Value;
            RepairForm form = await RepairForm.ReadAsync(context.Request, limits.MaxBodyBytes, aborted);
            if (form.Auto) ServiceCall.RequireDetector(service);
            // The service's own limit, checked here too: a photo with nothing to repair does not reach the service.
            int maxVariants = serviceOptions.Value.MaxVariants;
            if (form.Request.Variants > maxVariants)
                throw new RequestProblem(StatusCodes.Status400BadRequest, $"variants must be between 1 and {maxVariants}; got {form.Request.Variants}");
            var files = new PhotoFile(limits.MaxPixels);
            using Photo photo = ServiceCall.Decode(files, form.Image, form.ImageName);
            HoleMap? drawn = null;
            if (form.Mask is { } maskBytes)
                using (Photo mask = ServiceCall.Decode(files, maskBytes, form.MaskName))
                    drawn = Holes(mask.Pixels, photo.Pixels, form);
            (HoleMap holes, int? detected) = form.Auto ? await WithDetected(service, photo, drawn, form, aborted) : (drawn!, null);
            OutputFormat format = form.Format ?? ImageFormats.Of(photo);
            using InpaintingResult result = form.Auto && holes.Count == 0
                ? Unchanged(photo, form.Request.Variants) // auto=true found nothing and the mask (if any) marks nothing
                : await service.RepairAsync(photo.Pixels, holes, form.Request, aborted);
            logger.LogInformation("Repaired {Name} {Width}x{Height}: {HolePixels} hole pixels, {Windows} windows, {Textured} regions with texture, {Variants} variants, {Format}, {ElapsedMs:0} ms",
                form.ImageName, photo.Width, photo.Height, result.Report.HolePixels, result.Report.Windows, result.Report.TextureRegions, result.Variants.Count,
                format.Name, result.Elapsed.TotalMilliseconds);
            // Only a successful answer says what was detected.
            if (detected is { } count) context.Response.Headers["X-Inpaint-Detected-Pixels"] = count.ToString(CultureInfo.InvariantCulture);
            return Answer(context.Response, files, photo, result, format);
        });

    /// <summary>auto=true: the drawn holes (if any) with the damage the detector finds, grown as the mask is, and how many pixels it found.</summary>
    private static async Task<(HoleMap Holes, int? Detected)> WithDetected(IInpaintingService service, Photo photo, HoleMap? drawn, RepairForm form,
        CancellationToken aborted)
    {
        DetectionResult found = await service.DetectAsync(photo.Pixels, form.Threshold > 0 ? form.Threshold : null, aborted);
        HoleMap damage = found.Damage.Grow(form.Grow);
        return (drawn is null ? damage : drawn.Union(damage), damage.Count);
    }

    /// <summary>The photo as it came, once per variant asked for: nothing to repair.</summary>
    private static InpaintingResult Unchanged(Photo photo, int variants) =>
        new([.. Enumerable.Range(0, variants).Select(_ => photo.Pixels.Clone())], new RepairReport(), TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The repaired photo, or with several variants a multipart form of them; the report in headers.</summary>
    private static IResult Answer(HttpResponse response, PhotoFile files, Photo photo, InpaintingResult result, OutputFormat format)
    {
        var headers = response.Headers;
        headers["X-Inpaint-Hole-Pixels"] = result.Report.HolePixels.ToString(CultureInfo.InvariantCulture);
        headers["X-Inpaint-Windows"] = result.Report.Windows.ToString(CultureInfo.InvariantCulture);
        headers["X-Inpaint-Texture-Regions"] = result.Report.TextureRegions.ToString(CultureInfo.InvariantCulture);
        headers["X-Inpaint-Variants"] = result.Variants.Count.ToString(CultureInfo.InvariantCulture);
        headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
            $"queue;dur={result.Queued.TotalMilliseconds:0.#}, repair;dur={(result.Elapsed - result.Queued).TotalMilliseconds:0.#}");
        if (result.Variants.Count > 1) return Results.Stream(VariantsBody(files, photo, result, format, out string contentType), contentType);
        headers.ContentDisposition = $"inline; filename=\"repaired{format.Extension}\"";
        return Results.Bytes(Encode(files, photo, result.Image, format), format.ContentType);
    }

    /// <summary>The CLI's mask rules; a mask of another size gets the CLI's message with the form's field instead of its option.</summary>
    private static HoleMap Holes(Image<Rgba32> mask, Image<Rgba32> photo, RepairForm form)
    {
        try
        {
            return MaskRule.Read(mask, photo.Width, photo.Height, new MaskOptions(form.Invert, form.ResizeMask, form.Grow));
        }
        catch (MaskSizeException e)
        {
            throw new RequestProblem(StatusCodes.Status400BadRequest, $"{e.Message} (send resizeMask=true to scale it)");
        }
    }

    /// <summary>
    /// Several variants as one <c>multipart/form-data</c> body (what <c>Response.formData()</c> reads in a browser): parts
    /// <c>variant-1</c>, <c>variant-2</c>, ..., each a file <c>repaired-N.ext</c> in the answer's format.
    /// </summary>
    private static MemoryStream VariantsBody(PhotoFile files, Photo photo, InpaintingResult result, OutputFormat format, out string contentType)
    {
        string boundary = $"inpaint-{Guid.NewGuid():N}";
        contentType = $"multipart/form-data; boundary={boundary}";
        var body = new MemoryStream();
        void Text(string text) => body.Write(System.Text.Encoding.ASCII.GetBytes(text));
        for (int v = 0; v < result.Variants.Count; v++)
        {
            Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"variant-{v + 1}\"; filename=\"repaired-{v + 1}{format.Extension}\"\r\n" +
                 $"Content-Type: {format.ContentType}\r\n\r\n");
            body.Write(Encode(files, photo, result.Variants[v], format));
            Text("\r\n");
        }
        Text($"--{boundary}--\r\n");
        body.Position = 0;
        return body;
    }

    /// <summary>A repair in the answer's format, with the upload's channels and, in PNG and TIFF, its bit depth.</summary>
    private static byte[] Encode(PhotoFile files, Photo photo, Image<Rgba32> repaired, OutputFormat format)
    {
        using var buffer = new MemoryStream();
        files.Save(repaired, photo, buffer, format.Extension);
        return buffer.ToArray();
    }
}

/// <summary>The form of <c>POST /v1/repair</c>, for the OpenAPI description only (the endpoint reads the form itself).</summary>
internal sealed class RepairFormSchema
{
    /// <summary>The photo: PNG, JPEG, BMP or WebP.</summary>
    public required IFormFile Image { get; init; }

    /// <summary>The mask, the photo's size: white (luminance 128 or more) = repair; if it has transparency, alpha below 128 = repair. Optional with auto=true.</summary>
    public IFormFile? Mask { get; init; }

    /// <summary>Also repair the damage the server's detector finds (default false).</summary>
    public bool? Auto { get; init; }

    /// <summary>The detector's threshold with auto=true, above 0 and below 1 (default: the detector's own).</summary>
    public double? Threshold { get; init; }

    /// <summary>Swap repair and keep (default false).</summary>
    public bool? Invert { get; init; }

    /// <summary>Grow the holes by this many pixels, 0 to 256 (default 0).</summary>
    public int? Grow { get; init; }

    /// <summary>Scale a mask of another size to the photo, nearest neighbour (default false).</summary>
    public bool? ResizeMask { get; init; }

    /// <summary>png, jpeg, webp, bmp or tiff (default: the photo's format).</summary>
    public string? Format { get; init; }

    /// <summary>auto (texture for large regions, the model's fill for thin damage), smooth or texture (default: the server's, auto).</summary>
    public string? Fill { get; init; }

    /// <summary>Seed of the texture fill (default: the server's, 1).</summary>
    public int? Seed { get; init; }

    /// <summary>How many different fills (default 1; at most the server's Inpaint:MaxVariants).</summary>
    public int? Variants { get; init; }

    /// <summary>Repair a mask whose holes cover more than 60 % of the photo (default false: such a mask is refused as likely inverted).</summary>
    public bool? AllowLargeHoles { get; init; }
}
