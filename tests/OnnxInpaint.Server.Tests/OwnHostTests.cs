using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Inpaint.Server.Tests;

/// <summary>
/// A host of the caller's own (not the server): AddInpainting(IConfiguration) bound and validated with the keys' names;
/// MapInpainting serving the server's endpoints under the host's prefix with the host's limits.
/// </summary>
public sealed class OwnHostTests
{
    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddInpainting(builder.Configuration.GetSection("Imaging:Inpaint"));
        return builder.Build();
    }

    [Fact]
    public async Task A_configuration_section_binds_every_option_and_the_service_repairs_with_them()
    {
        using IHost host = Host(new Dictionary<string, string?>
        {
            ["Imaging:Inpaint:ModelPath"] = TestImages.Fixture("tiny-32.onnx"), ["Imaging:Inpaint:Device"] = "Cpu",
            ["Imaging:Inpaint:QueueLength"] = "7", ["Imaging:Inpaint:Batching:MaxBatchSize"] = "5", ["Imaging:Inpaint:DetectorPath"] = TestImages.Fixture("detector-tiny.onnx"),
        });
        await host.StartAsync();
        var service = host.Services.GetRequiredService<IInpaintingService>();
        Assert.Equal(7, service.Status.QueueLength);
        Assert.Equal(5, host.Services.GetRequiredService<IOptions<InpaintingOptions>>().Value.Batching.MaxBatchSize);
        Assert.Equal("detector-tiny.onnx", service.Detector?.File);
        using var photo = TestImages.Photo(48, 40);
        DetectionResult found = await service.DetectAsync(photo, 0.5);
        Assert.Equal((48, 40, 0.5), (found.Damage.Width, found.Damage.Height, found.Threshold));
        var holes = new Inpaint.Imaging.HoleMap(48, 40, [.. Enumerable.Range(0, 48 * 40).Select(i => i % 48 is >= 20 and < 26 && i / 48 is >= 15 and < 21)],
            Inpaint.Imaging.MaskSource.Luminance);
        using InpaintingResult repaired = await service.RepairAsync(photo, holes);
        Assert.Equal(36, repaired.Report.HolePixels);
        await host.StopAsync();
    }

    [Fact]
    public void Values_out_of_range_stop_the_host_named_by_their_keys_under_the_section()
    {
        using IHost host = Host(new Dictionary<string, string?>
        {
            ["Imaging:Inpaint:ModelPath"] = TestImages.Fixture("tiny-32.onnx"), ["Imaging:Inpaint:Repair:Feather"] = "300", ["Imaging:Inpaint:DetectorLevels"] = "9",
        });
        var e = Assert.Throws<OptionsValidationException>(() => host.StartAsync().GetAwaiter().GetResult());
        Assert.Contains("Imaging:Inpaint:Repair:Feather must be between 0 and 256; got 300", e.Message);
        Assert.Contains("Imaging:Inpaint:DetectorLevels must be between 0 and 6 (0: down to the size the detector learnt whole photos at); got 9", e.Message);
    }

    [Fact]
    public async Task MapInpainting_serves_repair_detect_and_model_under_the_hosts_prefix_with_its_limits()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddInpainting(options =>
        {
            options.ModelPath = TestImages.Fixture("tiny-32.onnx");
            options.Device = Inpaint.OnnxInpaint.ExecutionProvider.Cpu;
            options.DetectorPath = TestImages.Fixture("detector-tiny.onnx");
        });
        builder.Services.Configure<InpaintingHttpLimits>(limits => limits.MaxPixels = 64 * 48);
        await using WebApplication app = builder.Build();
        InpaintingEndpoints endpoints = app.MapInpainting("/api/photos");
        Assert.NotNull(endpoints.Repair);
        await app.StartAsync();
        using HttpClient client = app.GetTestClient();

        byte[] photo = TestImages.PhotoPng(64, 48);
        var hole = TestImages.Square(20, 16, 8);
        using (var repaired = await client.PostAsync("/api/photos/repair", Http.Form(photo, TestImages.MaskPng(64, 48, hole))))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, repaired.StatusCode);
            using var before = TestImages.Decode(photo);
            using var after = TestImages.Decode(await repaired.Content.ReadAsByteArrayAsync());
            Assert.All(TestImages.Differences(before, after), p => Assert.True(hole(p.X, p.Y), $"known pixel {p} changed"));
        }
        using (var detected = await client.PostAsync("/api/photos/detect", Http.Form(photo, null)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, detected.StatusCode);
            Assert.Equal("image/png", detected.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("\"detector\":{\"file\":\"detector-tiny.onnx\"", await client.GetStringAsync("/api/photos/model"));
        // The host's limit: a photo over 64x48 pixels is 413, in the CLI's words.
        using var large = await client.PostAsync("/api/photos/detect", Http.Form(TestImages.PhotoPng(65, 48), null));
        var (status, detail) = await Http.Problem(large);
        Assert.Equal(413, status);
        Assert.Contains("above the limit of 3,072 pixels", detail);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/v1/model")).StatusCode);
    }
}
