using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.Extensions.Options;

namespace Inpaint.Server;

/// <summary>
/// API keys and the per-caller rate of <see cref="ServerAccess"/>: a <c>/v1/</c> call without a valid key is 401; a
/// caller over its rate of repairs is 429 with <c>Retry-After</c>. Both answer with one-line problem details.
/// </summary>
internal static class AccessControl
{
    /// <summary>The rate-limiting policy of the repair endpoint.</summary>
    public const string RepairPolicy = "repair";

    /// <summary>Registers the rate limiter (a fixed window a minute per caller; no limiter when the rate is 0).</summary>
    public static void AddAccessControl(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<ServerAccess>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerAccess>>(new SettingsValidator<ServerAccess>(access => access.Problems()));
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RepairPolicy, context =>
            {
                ServerAccess access = context.RequestServices.GetRequiredService<IOptions<ServerAccess>>().Value;
                if (access.RequestsPerMinute == 0) return RateLimitPartition.GetNoLimiter("unlimited");
                return RateLimitPartition.GetFixedWindowLimiter(Caller(context, access), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = access.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellation) =>
            {
                HttpContext context = rejected.HttpContext;
                int seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? (int)Math.Ceiling(after.TotalSeconds) : 60;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                int limit = context.RequestServices.GetRequiredService<IOptions<ServerAccess>>().Value.RequestsPerMinute;
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"more than {limit} repairs a minute from this caller; try again in {seconds} s").ExecuteAsync(context);
            };
        });
    }

    /// <summary>Refuses <c>/v1/</c> calls without a valid key (when keys are set), then applies the rate limiter.</summary>
    public static void UseAccessControl(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            ServerAccess access = context.RequestServices.GetRequiredService<IOptions<ServerAccess>>().Value;
            if (access.KeysRequired && context.Request.Path.StartsWithSegments("/v1") && !HasValidKey(context, access))
            {
                context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ServerAccess.ApiKeyHeader}\"";
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: $"send a valid API key in the {ServerAccess.ApiKeyHeader} header").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        app.UseRateLimiter();
    }

    /// <summary>Whose rate a request counts against: its API key when keys are in use, else the client's address.</summary>
    private static string Caller(HttpContext context, ServerAccess access) =>
        access.KeysRequired && context.Request.Headers[ServerAccess.ApiKeyHeader].FirstOrDefault() is { Length: > 0 } key
            ? "key:" + key
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>Compares without stopping at the first wrong byte, so the answer's timing does not reveal how much of a key was right.</summary>
    private static bool HasValidKey(HttpContext context, ServerAccess access)
    {
        if (context.Request.Headers[ServerAccess.ApiKeyHeader].FirstOrDefault() is not { Length: > 0 } given) return false;
        byte[] sent = Encoding.UTF8.GetBytes(given);
        bool valid = false;
        foreach (string key in access.ApiKeys) valid |= CryptographicOperations.FixedTimeEquals(sent, Encoding.UTF8.GetBytes(key));
        return valid;
    }
}
