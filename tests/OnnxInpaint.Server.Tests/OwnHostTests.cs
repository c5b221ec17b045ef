using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Inpaint.Server.Tests;

/// <summary>AddInpainting(IConfiguration) in a host of the caller's own (not the server): bound, validated with the keys' names, ready to use.</summary>
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
        Assert.Contains("Imaging:Inpaint:DetectorLevels must be between 1 and 4; got 9", e.Message);
    }
}
