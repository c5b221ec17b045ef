using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Inpaint.LoadTest;

/// <summary>
/// A bounded client: <c>callers</c> loops on loopback, each sending the photo and mask and waiting for the answer
/// before the next, for a fixed time. Nothing but the server on 127.0.0.1 is contacted.
/// </summary>
internal static class HttpLoad
{
    public static async Task<StepResult> RunAsync(ServerProcess server, LoadOptions options, int callers, bool batching)
    {
        byte[] photo = File.ReadAllBytes(options.Photo), mask = File.ReadAllBytes(options.Mask);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = callers })
        {
            BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2),
        };
        var errors = new Dictionary<string, int>();

        async Task<bool> Once()
        {
            using var form = new MultipartFormDataContent();
            var image = new ByteArrayContent(photo);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            var maskPart = new ByteArrayContent(mask);
            maskPart.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(image, "image", Path.GetFileName(options.Photo));
            form.Add(maskPart, "mask", Path.GetFileName(options.Mask));
            try
            {
                using var response = await client.PostAsync("v1/repair", form);
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode && body.Length > 0) return true;
                lock (errors) errors[$"HTTP {(int)response.StatusCode}"] = errors.GetValueOrDefault($"HTTP {(int)response.StatusCode}") + 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lock (errors) errors[e.GetType().Name] = errors.GetValueOrDefault(e.GetType().Name) + 1;
            }
            return false;
        }

        async Task Loop(TimeSpan duration, Latencies? latencies)
        {
            var timer = Stopwatch.StartNew();
            while (timer.Elapsed < duration)
            {
                long start = Stopwatch.GetTimestamp();
                if (await Once()) latencies?.Add(Stopwatch.GetElapsedTime(start));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => Loop(TimeSpan.FromSeconds(options.Warmup), null))));
        errors.Clear();
        var before = await Statistics(client);
        long rssStart = server.RssKiB;
        server.ResetPeak();
        TimeSpan cpuStart = server.CpuTime;
        var measured = new Latencies();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => Loop(TimeSpan.FromSeconds(options.Seconds), measured))));
        double seconds = clock.Elapsed.TotalSeconds;
        long rssEnd = server.RssKiB, rssPeak = server.PeakRssKiB;
        double cpu = (server.CpuTime - cpuStart).TotalSeconds;
        var after = await Statistics(client);
        double calls = after.Calls - before.Calls, windows = after.Windows - before.Windows;
        int errorCount = errors.Values.Sum();
        return new StepResult($"server, batching {(batching ? "on" : "off")}", callers, batching, measured.Count, seconds, measured,
            calls == 0 ? 0 : windows / calls, rssStart, rssEnd, errorCount, string.Join(", ", errors.Select(e => $"{e.Value} {e.Key}")), cpu, rssPeak);
    }

    private static async Task<(long Calls, long Windows)> Statistics(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("v1/model"));
        var s = json.RootElement.GetProperty("statistics");
        return (s.GetProperty("modelCalls").GetInt64(), s.GetProperty("windows").GetInt64());
    }
}
