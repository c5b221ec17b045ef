using System.Net;

namespace Inpaint.Server.Tests;

/// <summary>API keys (401 without a valid one on /v1/, the page and the health checks open) and the per-caller rate (429 with Retry-After).</summary>
public sealed class AccessTests
{
    private const string Key = "k3y-for-the-tests-0123", OtherKey = "another-key-for-tests-9876";

    private static MultipartFormDataContent Form() => Http.Form(TestImages.PhotoPng(64, 48), TestImages.MaskPng(64, 48, TestImages.Square(10, 10, 8)));

    private static HttpRequestMessage Repair(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/repair") { Content = Form() };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return request;
    }

    [Fact]
    public async Task With_api_keys_a_v1_call_needs_one_and_the_page_and_probes_stay_open()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["Inpaint:Access:ApiKeys:0"] = Key, ["Inpaint:Access:ApiKeys:1"] = OtherKey });
        using var client = server.CreateClient();
        using (var none = await client.SendAsync(Repair(null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal((401, "send a valid API key in the X-Api-Key header"), await Http.Problem(none));
            Assert.Equal("ApiKey header=\"X-Api-Key\"", none.Headers.WwwAuthenticate.ToString());
        }
        using (var wrong = await client.SendAsync(Repair(Key + "x"))) Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var right = await client.SendAsync(Repair(Key))) Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        using (var second = await client.SendAsync(Repair(OtherKey))) Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using (var model = await client.GetAsync("/v1/model")) Assert.Equal(HttpStatusCode.Unauthorized, model.StatusCode);
        using (var page = await client.GetAsync("/")) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using (var health = await client.GetAsync("/healthz")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Over_its_rate_a_caller_gets_429_with_retry_after_and_other_keys_are_not_affected()
    {
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["Inpaint:Access:ApiKeys:0"] = Key, ["Inpaint:Access:ApiKeys:1"] = OtherKey, ["Inpaint:Access:RequestsPerMinute"] = "2",
        });
        using var client = server.CreateClient();
        for (int i = 0; i < 2; i++)
            using (var allowed = await client.SendAsync(Repair(Key))) Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using (var refused = await client.SendAsync(Repair(Key)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var (_, detail) = await Http.Problem(refused);
            Assert.StartsWith("more than 2 repairs a minute from this caller; try again in ", detail);
            Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        }
        using (var other = await client.SendAsync(Repair(OtherKey))) Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        using (var model = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/model") { Headers = { { "X-Api-Key", Key } } }))
            Assert.Equal(HttpStatusCode.OK, model.StatusCode); // the rate counts repairs only
    }
}
