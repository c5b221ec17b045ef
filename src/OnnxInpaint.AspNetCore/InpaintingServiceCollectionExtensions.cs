using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>Registration of the inpainting service and its health checks.</summary>
public static class InpaintingServiceCollectionExtensions
{
    /// <summary>Health-check tag of the checks a liveness probe runs.</summary>
    public const string LiveTag = "live";

    /// <summary>Health-check tag of the checks a readiness probe runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Registers one shared model and <see cref="IInpaintingService"/> (singletons), the metrics, and a hosted service
    /// that loads the model at start-up so a bad model stops the host before it takes requests. Options are validated
    /// at start-up too.
    /// </summary>
    public static IServiceCollection AddInpainting(this IServiceCollection services, Action<InpaintingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<InpaintingOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InpaintingOptions>>(new SettingsValidator<InpaintingOptions>(o => o.Problems())));
        return AddServices(services);
    }

    /// <summary>The singletons, the metrics and the loader both overloads register.</summary>
    private static IServiceCollection AddServices(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InpaintingMetrics>();
        services.TryAddSingleton<InpaintingService>();
        services.TryAddSingleton<IInpaintingService>(sp => sp.GetRequiredService<InpaintingService>());
        services.AddHostedService<ModelLoader>();
        return services;
    }

    /// <summary>
    /// As <see cref="AddInpainting(IServiceCollection, Action{InpaintingOptions})"/>, with the options bound from
    /// <paramref name="configuration"/> (e.g. <c>builder.Configuration.GetSection("Inpaint")</c>: the keys are the
    /// properties, <c>ModelPath</c>, <c>Batching:MaxBatchSize</c>, ...), then <paramref name="configure"/> (say, to
    /// resolve a relative model path). Every value is validated at start-up, and problems are named by their key
    /// under the section's path (<c>Inpaint:Repair:Feather must be between 0 and 256; got 300</c>).
    /// </summary>
    public static IServiceCollection AddInpainting(this IServiceCollection services, IConfiguration configuration, Action<InpaintingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string section = configuration is IConfigurationSection named ? named.Path : InpaintingOptions.Section;
        services.AddOptions<InpaintingOptions>().Bind(configuration).ValidateOnStart();
        if (configure is not null) services.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InpaintingOptions>>(new SettingsValidator<InpaintingOptions>(o => o.Problems(section))));
        return AddServices(services);
    }

    /// <summary>
    /// Adds the checks: <c>inpaint-model</c> (loaded, provider, last error; tags live and ready) and
    /// <c>inpaint-queue</c> (room in the queue; tag ready).
    /// </summary>
    public static IHealthChecksBuilder AddInpaintingChecks(this IHealthChecksBuilder builder)
    {
        builder.AddCheck<InpaintingModelHealthCheck>("inpaint-model", HealthStatus.Unhealthy, [LiveTag, ReadyTag]);
        builder.AddCheck<InpaintingQueueHealthCheck>("inpaint-queue", HealthStatus.Unhealthy, [ReadyTag]);
        return builder;
    }

    /// <summary>Resolves the service at start-up: the model loads before the server listens.</summary>
    private sealed class ModelLoader(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<IInpaintingService>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
