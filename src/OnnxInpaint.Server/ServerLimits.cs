using System.ComponentModel.DataAnnotations;

namespace Inpaint.Server;

/// <summary>Limits of the HTTP surface (section <c>Inpaint:Limits</c>); the service's own are in <c>InpaintingOptions</c>.</summary>
public sealed class ServerLimits
{
    /// <summary>Largest request body, in bytes (the whole multipart form). Over it: 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>Largest photo or mask, width x height, checked from the header before decoding. Over it: 413.</summary>
    [Range(1, int.MaxValue)]
    public long MaxPixels { get; set; } = 40_000_000;
}
