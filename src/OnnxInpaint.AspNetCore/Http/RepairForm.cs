
namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>The fields of <c>POST /v1/repair</c>, read and checked.</summary>
/// <param name="Image">The photo's bytes.</param>
/// <param name="ImageName">The name messages use for it (the uploaded file name, else "image").</param>
/// <param name="Mask">The mask's bytes; null when the damage is only detected (<paramref name="Auto"/>).</param>
/// <param name="MaskName">The name messages use for it.</param>
/// <param name="Invert">Black = repair instead (the CLI's --invert-mask).</param>
/// <param name="ResizeMask">Scale a mask of another size (the CLI's --resize-mask).</param>
/// <param name="Grow">Grow the holes by this many pixels (the CLI's --grow), the detected ones too.</param>
/// <param name="Auto">Find the damage with the server's detector and repair it too (the CLI's --auto).</param>
/// <param name="Threshold">The detector's threshold (the CLI's --threshold); 0: the detector's own.</param>
/// <param name="Format">The answer's format; null: the photo's.</param>
/// <param name="Request">The fill, seed and variants asked for (the CLI's --fill, --seed, --variants); unset: the service's.</param>
internal sealed record RepairForm(byte[] Image, string ImageName, byte[]? Mask, string MaskName, bool Invert, bool ResizeMask, int Grow, bool Auto,
    double Threshold, OutputFormat? Format, InpaintingRequest Request)
{
    /// <summary>The line for a body that is not a multipart form (also the 415 that routing answers for other media types).</summary>
    public const string NotAForm = "send a multipart/form-data form with the files 'image' (the photo) and 'mask' (white = repair), or 'image' and auto=true";

    /// <summary>Reads the multipart form, counting bytes against <paramref name="maxBodyBytes"/>.</summary>
    /// <exception cref="RequestProblem">400 for a bad form or field, 413 for a body over the limit.</exception>
    public static async Task<RepairForm> ReadAsync(HttpRequest request, long maxBodyBytes, CancellationToken cancellation)
    {
        IFormCollection form = await FormFields.ReadAsync(request, maxBodyBytes, NotAForm, cancellation);
        (byte[] image, string imageName) = await FormFields.FileAsync(form, "image", "the photo", cancellation);
        bool auto = FormFields.Flag(form, "auto");
        // With auto=true the mask is optional: what it marks is repaired with what the detector finds.
        (byte[]? mask, string maskName) = auto && !FormFields.Has(form, "mask") ? (null, "mask")
            : await FormFields.FileAsync(form, "mask", "the mask, white = repair; or send auto=true to find the damage", cancellation);
        int grow = FormFields.Number(form, RepairSettings.Grow);
        double threshold = FormFields.Number(form, DetectSettings.Threshold);
        return new RepairForm(image, imageName, mask, maskName, FormFields.Flag(form, "invert"), FormFields.Flag(form, "resizeMask"), grow, auto, threshold,
            ImageFormats.Field(form), ReadRequest(form));
    }

    /// <summary>The fields <c>fill</c>, <c>seed</c>, <c>variants</c> and <c>allowLargeHoles</c>.</summary>
    private static InpaintingRequest ReadRequest(IFormCollection form)
    {
        FillMode? fill = null;
        if (FormFields.Text(form, "fill") is { } word)
            fill = FillModes.TryParse(word, out FillMode mode) ? mode
                : throw new RequestProblem(400, $"fill must be one of {FillModes.Words}; got '{FormFields.Shorten(word)}'");
        int? seed = FormFields.Text(form, RepairSettings.Seed.Name) is null ? null : FormFields.Number(form, RepairSettings.Seed);
        return new InpaintingRequest
        {
            Fill = fill, Seed = seed, Variants = FormFields.Number(form, RepairSettings.Variants),
            AllowLargeHoles = FormFields.Text(form, "allowLargeHoles") is null ? null : FormFields.Flag(form, "allowLargeHoles"),
        };
    }
}
