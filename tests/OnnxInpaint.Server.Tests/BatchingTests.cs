using System.Net;
using Inpaint.OnnxInpaint;
using Inpaint.OnnxInpaint.AspNetCore;

namespace Inpaint.Server.Tests;

/// <summary>Concurrent HTTP requests share model calls, and give the pixels they would alone.</summary>
public sealed class BatchingTests
{
    private const int W = 64, H = 48, Requests = 6;

    /// <summary>The fixture models present (the freeform one arrives with the library's tests).</summary>
    public static TheoryData<string> Models()
    {
        var models = new TheoryData<string> { "tiny-32.onnx" };
        if (File.Exists(TestImages.Fixture("freeform-tiny.onnx"))) models.Add("freeform-tiny.onnx");
        return models;
    }

    private static MultipartFormDataContent Form(int seed) =>
        Http.Form(TestImages.PhotoPng(W, H, seed), TestImages.MaskPng(W, H, TestImages.Square(8 + 5 * seed, 10 + 3 * seed, 7)));

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Concurrent_requests_share_one_model_call_and_give_the_same_pixels_as_sequential_ones(string model)
    {
        GateRunner? gate = null;
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["Inpaint:ModelPath"] = TestImages.Fixture(model),
            ["Inpaint:Batching:MaxBatchSize"] = "64",
            ["Inpaint:Batching:MaxDelay"] = "00:00:05",
        }, m => gate = new GateRunner(m));
        InpaintingService service = server.Inpainting;
        using var client = server.CreateClient();

        // While the model is busy with one request, the others arrive and wait; then they go in together.
        gate!.Hold();
        var first = client.PostAsync("/v1/repair", Form(0));
        gate.WaitForEntered(1);
        BatchStatistics before = service.Batcher.Statistics;
        var concurrent = Enumerable.Range(1, Requests).Select(seed => client.PostAsync("/v1/repair", Form(seed))).ToList();
        for (int i = 0; i < 3000 && service.Batcher.Waiting < Requests; i++) await Task.Delay(10);
        Assert.Equal(Requests, service.Batcher.Waiting);
        gate.Release();
        using (var answer = await first) Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var batched = new List<byte[]>();
        foreach (var request in concurrent)
        {
            using var answer = await request;
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            batched.Add(await answer.Content.ReadAsByteArrayAsync());
        }
        BatchStatistics shared = service.Batcher.Statistics.Since(before);
        Assert.Equal(2, shared.ModelCalls); // the first request's call, then one for all the others
        Assert.Equal(Requests, shared.MostRequests);
        Assert.Equal(Requests + 1, shared.Requests);

        // The same photos one at a time: each in a model call of its own, same pixels.
        before = service.Batcher.Statistics;
        for (int seed = 1; seed <= Requests; seed++)
        {
            using var answer = await client.PostAsync("/v1/repair", Form(seed));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var alone = TestImages.Decode(await answer.Content.ReadAsByteArrayAsync());
            using var together = TestImages.Decode(batched[seed - 1]);
            Assert.Empty(TestImages.Differences(alone, together));
        }
        BatchStatistics sequential = service.Batcher.Statistics.Since(before);
        Assert.Equal(sequential.Requests, sequential.ModelCalls);
    }

    [Fact]
    public async Task With_batching_off_each_repair_calls_the_model_itself()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["Inpaint:Batching:Enabled"] = "false" });
        InpaintingService service = server.Inpainting;
        using var client = server.CreateClient();
        Assert.False(service.Status.Batching);
        var answers = await Task.WhenAll(Enumerable.Range(1, Requests).Select(seed => client.PostAsync("/v1/repair", Form(seed))));
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            answer.Dispose();
        }
        BatchStatistics statistics = service.Batcher.Statistics;
        Assert.Equal(Requests, statistics.ModelCalls);
        Assert.Equal(1, statistics.MostRequests);
    }
}
