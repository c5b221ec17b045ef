namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Limits of the HTTP endpoints (<see cref="InpaintingEndpointRouteBuilderExtensions.MapInpainting"/>; the server binds section
/// <c>Inpaint:Limits</c>); the service's own are in <see cref="InpaintingOptions"/>. Configure them with
/// <c>services.Configure&lt;InpaintingHttpLimits&gt;(...)</c>; without, the defaults hold.
/// </summary>
public sealed class InpaintingHttpLimits
{
    /// <summary>The largest request body (the whole multipart form), in bytes.</summary>
    public static Setting<long> MaxBodyBytesSetting { get; } = new("max-body-bytes", 50 * 1024 * 1024, 1024, long.MaxValue,
        "Largest request body, in bytes (the whole multipart form); over it: 413");

    /// <summary>
    /// The largest photo or mask: the command line's definition with a lower default, since a server holds several
    /// concurrent repairs in memory.
    /// </summary>
    public static Setting<long> MaxPixelsSetting { get; } = RepairSettings.MaxPixels with { Default = 40_000_000 };

    /// <summary>Largest request body, in bytes (the whole multipart form). Over it: 413.</summary>
    public long MaxBodyBytes { get; set; } = MaxBodyBytesSetting.Default;

    /// <summary>Largest photo or mask, width x height, checked from the header before decoding. Over it: 413.</summary>
    public long MaxPixels { get; set; } = MaxPixelsSetting.Default;

    /// <summary>Every limit out of its range, named by its configuration key.</summary>
    public IEnumerable<string> Problems(string section = "Inpaint:Limits")
    {
        string?[] problems =
        [
            MaxBodyBytesSetting.Check(MaxBodyBytes, $"{section}:{nameof(MaxBodyBytes)}"),
            MaxPixelsSetting.Check(MaxPixels, $"{section}:{nameof(MaxPixels)}"),
        ];
        return problems.OfType<string>();
    }
}
