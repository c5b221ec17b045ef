using System.Net;
using System.Text.Json;
using Inpaint.OnnxInpaint.AspNetCore;

namespace Inpaint.Server.Tests;

/// <summary>503 when the queue is full or a repair outlasts the timeout; callers that give up; model failures.</summary>
public sealed class CapacityTests
{
    private const int W = 64, H = 48;

    private static (ServerFactory Server, Func<GateRunner> Gate) Start(Dictionary<string, string?> settings)
    {
        GateRunner? gate = null;
        var server = new ServerFactory(settings, model => gate = new GateRunner(model));
        _ = server.Inpainting; // starts the host, which builds the gate
        return (server, () => gate!);
    }

    private static MultipartFormDataContent Form(int seed = 1) =>
        Http.Form(TestImages.PhotoPng(W, H, seed), TestImages.MaskPng(W, H, TestImages.Square(20, 16, 8)));

    private static async Task Until(Func<bool> condition, string what)
    {
        for (int i = 0; i < 3000 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), $"timed out waiting until {what}");
    }

    [Fact]
    public async Task A_full_queue_is_503_with_retry_after_and_not_ready()
    {
        var (server, gate) = Start(new() { ["Inpaint:MaxConcurrentRepairs"] = "1", ["Inpaint:QueueLength"] = "1" });
        using (server)
        {
            using var client = server.CreateClient();
            gate().Hold();
            var running = client.PostAsync("/v1/repair", Form(1));
            gate().WaitForEntered(1);
            var queued = client.PostAsync("/v1/repair", Form(2));
            await Until(() => server.Inpainting.Status.Queued == 1, "the second request waits");

            using (var refused = await client.PostAsync("/v1/repair", Form(3)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
                var (_, detail) = await Http.Problem(refused);
                Assert.Equal("the server is busy: 1 repairs are running and 1 waiting; try again shortly", detail);
            }
            using (var ready = await client.GetAsync("/readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                Assert.Contains("the queue is full", await ready.Content.ReadAsStringAsync());
            }

            gate().Release();
            using (var first = await running) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using (var second = await queued) Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            using var readyAgain = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        }
    }

    [Fact]
    public async Task A_repair_that_outlasts_the_timeout_is_503()
    {
        var (server, gate) = Start(new() { ["Inpaint:RequestTimeout"] = "00:00:00.300" });
        using (server)
        {
            using var client = server.CreateClient();
            gate().Hold();
            using var response = await client.PostAsync("/v1/repair", Form());
            gate().Release();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var (_, detail) = await Http.Problem(response);
            Assert.Equal("the repair did not finish within the limit of 0.3 s (the server is busy)", detail);
            await Until(() => server.Inpainting.Status is { Running: 0, Queued: 0 }, "the timed-out repair leaves");
        }
    }

    [Fact]
    public async Task A_caller_that_gives_up_frees_its_place_while_the_model_call_goes_on()
    {
        var (server, gate) = Start(new() { ["Inpaint:MaxConcurrentRepairs"] = "1", ["Inpaint:QueueLength"] = "1" });
        using (server)
        {
            IInpaintingService service = server.Inpainting;
            using var photo = TestImages.Photo(W, H);
            var holes = Holes(W, H, TestImages.Square(20, 16, 8));
            gate().Hold();
            using var first = new CancellationTokenSource();
            using var second = new CancellationTokenSource();
            var running = service.RepairAsync(photo, holes, first.Token);
            gate().WaitForEntered(1);
            var queued = service.RepairAsync(photo, holes, second.Token);
            await Until(() => service.Status.Queued == 1, "the second repair waits");

            second.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
            first.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            // Both places are free although the model call they were in has not returned yet.
            await Until(() => service.Status is { Running: 0, Queued: 0 }, "both places are free");
            Assert.Equal(1, gate().Entered);

            gate().Release();
            using var result = await service.RepairAsync(photo, holes);
            Assert.Equal(64, result.Report.HolePixels);
        }
    }

    [Fact]
    public async Task A_model_failure_is_a_500_with_one_line_and_the_model_check_degrades()
    {
        var (server, gate) = Start([]);
        using (server)
        {
            using var client = server.CreateClient();
            using (var healthy = await client.GetAsync("/healthz"))
            {
                Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
                Assert.Equal("Healthy", Status(await healthy.Content.ReadAsStringAsync()));
            }
            gate().Failure = new InvalidOperationException("the device is gone");
            using (var failed = await client.PostAsync("/v1/repair", Form()))
            {
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
                var (_, detail) = await Http.Problem(failed);
                Assert.Equal("the model call failed: the device is gone", detail);
            }
            using var degraded = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, degraded.StatusCode); // degraded still serves
            string body = await degraded.Content.ReadAsStringAsync();
            Assert.Equal("Degraded", Status(body));
            Assert.Contains("the device is gone", body);
        }
    }

    private static string Status(string json) => JsonDocument.Parse(json).RootElement.GetProperty("status").GetString()!;

    internal static Inpaint.Imaging.HoleMap Holes(int width, int height, Func<int, int, bool> hole)
    {
        var flags = new bool[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                flags[y * width + x] = hole(x, y);
        return new Inpaint.Imaging.HoleMap(width, height, flags, Inpaint.Imaging.MaskSource.Luminance);
    }
}
