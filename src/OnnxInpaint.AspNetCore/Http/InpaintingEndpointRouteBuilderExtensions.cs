namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Maps the inpainting REST endpoints onto a host's routes, so an ASP.NET Core app serves what <c>inpaint-server</c>
/// serves without copying its code: <c>POST {prefix}/repair</c>, <c>POST {prefix}/detect</c> and
/// <c>GET {prefix}/model</c> over the <see cref="IInpaintingService"/> that
/// <see cref="InpaintingServiceCollectionExtensions.AddInpainting(IServiceCollection, Action{InpaintingOptions})"/>
/// registers. Request limits are <see cref="InpaintingHttpLimits"/> (defaults unless configured). Authentication,
/// rate limits and CORS stay the host's: apply them to the builders returned.
/// </summary>
public static class InpaintingEndpointRouteBuilderExtensions
{
    /// <summary>Maps the endpoints under <paramref name="prefix"/> (default <c>/v1</c>).</summary>
    /// <param name="endpoints">The host's routes (a <c>WebApplication</c>, or a group).</param>
    /// <param name="prefix">The path the endpoints sit under.</param>
    /// <returns>The three endpoints, for the host's conventions (e.g. <c>.Repair.RequireRateLimiting("repairs")</c>).</returns>
    public static InpaintingEndpoints MapInpainting(this IEndpointRouteBuilder endpoints, string prefix = "/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder group = endpoints.MapGroup(prefix);
        return new InpaintingEndpoints(RepairEndpoint.Map(group), DetectEndpoint.Map(group), ModelEndpoint.Map(group));
    }

    /// <summary>
    /// The one line an endpoint at <paramref name="path"/> gives for a body that is not a multipart form (the detail of
    /// the 415 that routing answers before the endpoint runs; a host's problem-details customisation can use it).
    /// </summary>
    public static string NotAFormDetail(PathString path) =>
        path.Value?.EndsWith("/detect", StringComparison.Ordinal) == true ? DetectEndpoint.NotAForm : RepairForm.NotAForm;
}

/// <summary>The endpoints <see cref="InpaintingEndpointRouteBuilderExtensions.MapInpainting"/> mapped, for the host's conventions.</summary>
/// <param name="Repair"><c>POST {prefix}/repair</c>: the photo and a mask and/or <c>auto=true</c>, answered with the repaired photo.</param>
/// <param name="Detect"><c>POST {prefix}/detect</c>: the photo, answered with the mask of the damage found.</param>
/// <param name="Model"><c>GET {prefix}/model</c>: the model, the detector, the limits and the statistics, as JSON.</param>
public sealed record InpaintingEndpoints(RouteHandlerBuilder Repair, RouteHandlerBuilder Detect, RouteHandlerBuilder Model);
