using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Inpaint.Server;

/// <summary>
/// <c>GET /healthz</c> (liveness) and <c>GET /readyz</c> (readiness) as minimal APIs over the registered health checks,
/// so the OpenAPI document lists them (MapHealthChecks' endpoints are invisible to the API explorer): 200 when Healthy
/// or Degraded, 503 when Unhealthy, the report as JSON (<see cref="HealthJson"/>).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        Map(app, "/healthz", InpaintingServiceCollectionExtensions.LiveTag, "Liveness: the model is loaded (200 Healthy or Degraded, 503 Unhealthy)");
        Map(app, "/readyz", InpaintingServiceCollectionExtensions.ReadyTag, "Readiness: the model and the queue (503 while the queue is full)");
    }

    private static void Map(WebApplication app, string path, string tag, string summary) =>
        app.MapMethods(path, ["GET", "HEAD"], async (HttpContext context, HealthCheckService health) =>
            {
                HealthReport report = await health.CheckHealthAsync(check => check.Tags.Contains(tag), context.RequestAborted);
                context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
                context.Response.Headers.CacheControl = "no-store, no-cache";
                await HealthJson.Write(context, report);
            })
            .WithSummary(summary)
            .WithTags("health")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status503ServiceUnavailable, contentType: "application/json");
}
