using Inpaint.Hosting;
using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Inpaint.Server;

/// <summary>Builds the server: services, limits, endpoints and the page.</summary>
public static class InpaintServer
{
    /// <summary>Creates the application from the command line (<c>--Inpaint:ModelPath=...</c> and the like).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The settings next to the program come first, so running the built server from any folder behaves as
        // `dotnet run` does; appsettings.json in the content root, the environment and the command line override them.
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json", Optional = true, FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
        ListenByDefault(builder);
        ConfigureServices(builder);
        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    /// <summary>Where the server listens when nothing says otherwise (no <c>Urls</c>, <c>ASPNETCORE_URLS</c> or <c>ASPNETCORE_HTTP_PORTS</c>).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// <see cref="DefaultUrl"/> unless the configuration names an address or a port. It is not in appsettings.json,
    /// where it would win over <c>ASPNETCORE_HTTP_PORTS</c>, which a container sets.
    /// </summary>
    private static void ListenByDefault(WebApplicationBuilder builder)
    {
        IConfiguration c = builder.Configuration;
        bool named = new[] { "urls", "http_ports", "https_ports", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" }
            .Any(key => !string.IsNullOrWhiteSpace(c[key]));
        if (!named) builder.WebHost.UseUrls(DefaultUrl);
    }

    private static void ConfigureServices(WebApplicationBuilder builder)
    {
        IConfigurationSection section = builder.Configuration.GetSection(InpaintingOptions.Section);
        // Everything is read when the options are first needed (at start-up), after every configuration source, the
        // test host's included, has been added.
        builder.Services.AddInpainting(section, options =>
        {
            // The default model is the CLI's: models/ next to the program or in the working folder.
            options.ModelPath = ModelLocator.Resolve(string.IsNullOrWhiteSpace(options.ModelPath) ? null : options.ModelPath);
            // The shipped detector when none is named and it is there; "none" turns detection off.
            options.DetectorPath = options.DetectorPath.Trim() switch
            {
                "" => ModelLocator.FindShipped(ModelLocator.DefaultDetectorName) ?? "",
                var word when word.Equals("none", StringComparison.OrdinalIgnoreCase) => "",
                var named => ModelLocator.ResolveDetector(named),
            };
        });
        builder.Services.AddOptions<InpaintingHttpLimits>().Bind(section.GetSection("Limits")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<InpaintingHttpLimits>>(new SettingsValidator<InpaintingHttpLimits>(limits => limits.Problems()));
        builder.Services.AddAccessControl(section.GetSection("Access"));
        // Kestrel refuses larger bodies itself; the repair endpoint also counts bytes as it reads (RepairForm), which
        // holds under any server, the in-memory test server included.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<InpaintingHttpLimits>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxBodyBytes);
        builder.Services.AddOptions<FormOptions>().Configure<IOptions<InpaintingHttpLimits>>((form, limits) =>
            form.MultipartBodyLengthLimit = limits.Value.MaxBodyBytes);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Routing refuses a body that is not a form (415) before the endpoint runs: give it the endpoint's line.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
                context.ProblemDetails.Detail ??= InpaintingEndpointRouteBuilderExtensions.NotAFormDetail(context.HttpContext.Request.Path);
        });
        builder.Services.AddHealthChecks().AddInpaintingChecks();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Inpaint";
            document.Info.Description = "Repairs damaged photos: send the photo and a mask (white = repair), get the repaired photo back.";
            return Task.CompletedTask;
        }));
    }

    private static void MapEndpoints(WebApplication app)
    {
        // Unhandled exceptions become a problem-details 500 without a stack trace; statuses without a body get one.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAccessControl();
        // The page's files are copied next to the program (see the project file).
        var page = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });

        app.MapOpenApi();
        // The REST endpoints are the library's; the server adds its access policy (API keys are checked for all of
        // /v1/ by UseAccessControl, the rate applies to the work endpoints).
        InpaintingEndpoints endpoints = app.MapInpainting("/v1");
        endpoints.Repair.RequireRateLimiting(AccessControl.RepairPolicy);
        endpoints.Detect.RequireRateLimiting(AccessControl.RepairPolicy);
        HealthEndpoints.Map(app);
    }
}
