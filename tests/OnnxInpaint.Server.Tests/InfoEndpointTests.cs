using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Inpaint.OnnxInpaint.AspNetCore;

namespace Inpaint.Server.Tests;

/// <summary>GET /v1/model, the health probes, the OpenAPI description, the page's files and the metrics.</summary>
public sealed class InfoEndpointTests : IDisposable
{
    private readonly ServerFactory server = new(new Dictionary<string, string?>
    {
        ["Inpaint:QueueLength"] = "7",
        ["Inpaint:Limits:MaxPixels"] = "123456",
    });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Model_describes_the_contract_the_device_the_limits_and_batching()
    {
        using var client = server.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/model"));
        var m = json.RootElement;
        Assert.Equal("tiny-32.onnx", m.GetProperty("file").GetString());
        Assert.Equal(1, m.GetProperty("contract").GetInt32());
        Assert.Equal("tiny", m.GetProperty("architecture").GetString());
        Assert.Equal("center", m.GetProperty("family").GetString());
        Assert.Equal("center:16", m.GetProperty("hole").GetString());
        Assert.Equal(32, m.GetProperty("imageSize").GetInt32());
        Assert.Equal("Cpu", m.GetProperty("provider").GetString());
        Assert.Equal(123456, m.GetProperty("limits").GetProperty("maxPixels").GetInt64());
        Assert.Equal(7, m.GetProperty("limits").GetProperty("queueLength").GetInt32());
        Assert.Equal(8, m.GetProperty("limits").GetProperty("maxConcurrentRepairs").GetInt32());
        Assert.True(m.GetProperty("batching").GetProperty("enabled").GetBoolean());
        Assert.Equal(0, m.GetProperty("statistics").GetProperty("completed").GetInt64());
        Assert.Equal(0.6, m.GetProperty("limits").GetProperty("maxHoleShare").GetDouble());
        // One repair: completed counts it once; repairCalls counts its calls to the batcher (named so, not "requests").
        using (var repaired = await client.PostAsync("/v1/repair", Http.Form(TestImages.PhotoPng(64, 48), TestImages.MaskPng(64, 48, TestImages.Square(10, 10, 8)))))
            Assert.Equal(System.Net.HttpStatusCode.OK, repaired.StatusCode);
        using var after = JsonDocument.Parse(await client.GetStringAsync("/v1/model"));
        var statistics = after.RootElement.GetProperty("statistics");
        Assert.Equal(1, statistics.GetProperty("completed").GetInt64());
        Assert.True(statistics.GetProperty("repairCalls").GetInt64() >= 1);
        Assert.False(statistics.TryGetProperty("requests", out _));
    }

    [Theory]
    [InlineData("/healthz", "inpaint-model")]
    [InlineData("/readyz", "inpaint-queue")]
    public async Task Probes_are_healthy_and_say_what_runs(string path, string check)
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var entry = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == check);
        Assert.Equal("Healthy", entry.GetProperty("status").GetString());
        if (check == "inpaint-model")
        {
            Assert.Equal("Cpu", entry.GetProperty("data").GetProperty("provider").GetString());
            Assert.Equal("", entry.GetProperty("data").GetProperty("lastError").GetString());
        }
    }

    [Fact]
    public async Task The_openapi_description_lists_the_endpoints_and_the_form()
    {
        using var client = server.CreateClient();
        string text = await client.GetStringAsync("/openapi/v1.json");
        using var json = JsonDocument.Parse(text);
        var paths = json.RootElement.GetProperty("paths");
        var repair = paths.GetProperty("/v1/repair").GetProperty("post");
        string schema = repair.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data")
            .GetProperty("schema").GetProperty("$ref").GetString()!;
        var fields = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema.Split('/')[^1]).GetProperty("properties");
        foreach (string field in new[] { "image", "mask", "invert", "grow", "resizeMask", "format", "fill", "seed", "variants", "allowLargeHoles" })
            Assert.True(fields.TryGetProperty(field, out _), field);
        foreach (string status in new[] { "200", "400", "408", "413", "503" }) Assert.True(repair.GetProperty("responses").TryGetProperty(status, out _), status);
        Assert.True(paths.TryGetProperty("/v1/model", out _));
        foreach (string health in new[] { "/healthz", "/readyz" })
        {
            var get = paths.GetProperty(health).GetProperty("get");
            Assert.False(string.IsNullOrEmpty(get.GetProperty("summary").GetString()), health);
            Assert.True(get.GetProperty("responses").TryGetProperty("503", out _), health);
        }
    }

    [Theory]
    [InlineData("/", "text/html", "<canvas id=\"paint\"")]
    [InlineData("/app.js", "text/javascript", "v1/repair")]
    [InlineData("/app.css", "text/css", "@media")]
    public async Task The_page_is_served(string path, string type, string content)
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/v1/nothing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Repairs_are_counted_with_their_pixels_latency_and_batch_size()
    {
        var seen = new List<(string Instrument, double Value, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InpaintingMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? outcome = null;
            foreach (var tag in tags) if (tag.Key == "outcome") outcome = tag.Value as string;
            lock (seen) seen.Add((instrument.Name, value, outcome));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        using var client = server.CreateClient();
        using var response = await client.PostAsync("/v1/repair",
            Http.Form(TestImages.PhotoPng(64, 48), TestImages.MaskPng(64, 48, TestImages.Square(20, 16, 8))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (seen)
        {
            Assert.Contains(("inpaint.repairs", 1.0, "ok"), seen);
            Assert.Contains(("inpaint.repair.pixels", 64.0 * 48, null), seen);
            Assert.Contains(seen, m => m.Instrument == "inpaint.repair.duration" && m.Value > 0);
            Assert.Contains(("inpaint.batch.size", 1.0, "ok"), seen);
            Assert.Contains(("inpaint.batch.requests", 1.0, "ok"), seen);
        }
    }
}
