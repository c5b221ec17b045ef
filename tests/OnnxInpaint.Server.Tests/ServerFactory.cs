using Inpaint.OnnxInpaint;
using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inpaint.Server.Tests;

/// <summary>
/// The server in process with the tiny centre model on the CPU, unless settings say otherwise; <paramref name="wrap"/>
/// puts a test runner between the batcher and the model (to hold or fail model calls).
/// </summary>
internal sealed class ServerFactory(IReadOnlyDictionary<string, string?>? settings = null, Func<InpaintModel, IInpaintRunner>? wrap = null)
    : WebApplicationFactory<Program>
{
    public static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Inpaint:ModelPath"] = TestImages.Fixture("tiny-32.onnx"),
        ["Inpaint:Device"] = "Cpu",
        ["Inpaint:Threads"] = "1",
        ["Inpaint:MaxConcurrentRepairs"] = "8",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Production: what users run (no developer exception page).
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Defaults) builder.UseSetting(key, value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (wrap is not null)
            builder.ConfigureTestServices(services => services.AddSingleton(sp => new InpaintingService(
                sp.GetRequiredService<IOptions<InpaintingOptions>>(), sp.GetRequiredService<ILogger<InpaintingService>>(),
                sp.GetRequiredService<InpaintingMetrics>(), wrap)));
    }

    /// <summary>The running service.</summary>
    public InpaintingService Inpainting => Services.GetRequiredService<InpaintingService>();
}
