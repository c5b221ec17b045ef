using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// The model: healthy once loaded (the service loads it at start-up, so resolving it proves it), with the provider
/// in use and the last error in the data; degraded for a minute after a model or internal failure.
/// </summary>
public sealed class InpaintingModelHealthCheck(IInpaintingService service, TimeProvider clock) : IHealthCheck
{
    /// <summary>How long a failure keeps the check degraded.</summary>
    public static TimeSpan ErrorMemory { get; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        InpaintingModelInfo model = service.Model;
        InpaintingStatus status = service.Status;
        var data = new Dictionary<string, object>
        {
            ["model"] = model.File,
            ["architecture"] = model.Contract.Architecture,
            ["family"] = model.Family,
            ["provider"] = model.Provider.ToString(),
            ["lastError"] = status.LastError ?? "",
        };
        if (model.FallbackReason is not null) data["fallbackReason"] = model.FallbackReason;
        if (status.LastErrorAt is { } at) data["lastErrorAt"] = at.ToString("O");
        string description = $"{model.File} loaded, running on {model.Provider}";
        bool recentError = status.LastErrorAt is { } when && clock.GetUtcNow() - when < ErrorMemory;
        return Task.FromResult(recentError
            ? HealthCheckResult.Degraded($"{description}; last error: {status.LastError}", data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}

/// <summary>Readiness: unhealthy while the queue is full (a load balancer should send requests elsewhere).</summary>
public sealed class InpaintingQueueHealthCheck(IInpaintingService service) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        InpaintingStatus status = service.Status;
        var data = new Dictionary<string, object>
        {
            ["running"] = status.Running,
            ["queued"] = status.Queued,
            ["maxConcurrentRepairs"] = status.MaxConcurrentRepairs,
            ["queueLength"] = status.QueueLength,
        };
        string text = $"{status.Running} running, {status.Queued} of {status.QueueLength} queued";
        return Task.FromResult(status.Full ? HealthCheckResult.Unhealthy($"the queue is full: {text}", data: data) : HealthCheckResult.Healthy(text, data));
    }
}
