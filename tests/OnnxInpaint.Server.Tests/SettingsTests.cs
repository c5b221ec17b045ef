using Inpaint.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Inpaint.Server.Tests;

/// <summary>The server's configuration is range-checked at start-up by the same definitions, in the same words, as the CLI's options.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Inpaint:Repair:Feather", "300", "--feather", "must be between 0 and 256; got 300")]
    [InlineData("Inpaint:Repair:GroupDistance", "-5", "--group-distance", "must be between -1 and 1000 (-1: automatic); got -5")]
    [InlineData("Inpaint:Repair:Tile", "5000", "--tile", "must be between 0 and 4096 (0: twice the model's training tile); got 5000")]
    [InlineData("Inpaint:Repair:MaxMagnification", "0", "--max-magnification", "must be between 0.1 and 16; got 0")]
    [InlineData("Inpaint:BatchSize", "0", "--batch", "must be between 1 and 1024; got 0")]
    [InlineData("Inpaint:Threads", "-1", "--threads", "must be between 0 and 1024 (0: ONNX Runtime's default); got -1")]
    [InlineData("Inpaint:DeviceId", "300", "--device-id", "must be between 0 and 255; got 300")]
    [InlineData("Inpaint:Limits:MaxPixels", "0", "--max-pixels", "must be between 1 and 2,147,483,647; got 0")]
    public void AnOutOfRangeSettingStopsTheServerWithTheCommandLinesWords(string key, string value, string option, string words)
    {
        OptionsValidationException refused = Refused(new Dictionary<string, string?> { [key] = value });
        Assert.Contains($"{key} {words}", refused.Message);

        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", "photo.png", "--mask", "mask.png", "-o", "out.png", option, value], new StringWriter(), stderr);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: {option} {words}", stderr.ToString());
    }

    /// <summary>The server as Program builds it, on a free loopback port, with <paramref name="settings"/> on its command line: it must not start.</summary>
    private static OptionsValidationException Refused(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(ServerFactory.Defaults) { ["Urls"] = "http://127.0.0.1:0" };
        foreach (var (key, value) in settings) all[key] = value;
        // Some limits are read while the app is built (Kestrel's), the others when it starts: Program catches both.
        return Assert.Throws<OptionsValidationException>(() =>
        {
            using WebApplication app = InpaintServer.Build(all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
            app.StartAsync().GetAwaiter().GetResult();
        });
    }

    [Fact]
    public void EveryProblemIsNamedAtOnce()
    {
        OptionsValidationException refused = Refused(new Dictionary<string, string?>
        {
            ["Inpaint:QueueLength"] = "-1", ["Inpaint:Batching:Instances"] = "0", ["Inpaint:RequestTimeout"] = "2.00:00:00",
            ["Inpaint:MaxInFlightPixels"] = "0",
        });
        OptionsValidationException access = Refused(new Dictionary<string, string?> { ["Inpaint:Access:ApiKeys:0"] = "short", ["Inpaint:Access:RequestsPerMinute"] = "-1" });
        Assert.Contains("Inpaint:Access:ApiKeys:0 must be at least 16 characters", access.Message);
        Assert.Contains("Inpaint:Access:RequestsPerMinute must be between 0 and 1,000,000; got -1", access.Message);
        Assert.Contains("Inpaint:MaxInFlightPixels must be between 1 and 1,000,000,000,000; got 0", refused.Message);
        Assert.Contains("Inpaint:QueueLength must be between 0 and 100,000; got -1", refused.Message);
        Assert.Contains("Inpaint:Batching:Instances must be between 1 and 64; got 0", refused.Message);
        Assert.Contains("Inpaint:RequestTimeout must be between 00:00:00.0100000 and 1.00:00:00; got 2.00:00:00", refused.Message);
    }
}
