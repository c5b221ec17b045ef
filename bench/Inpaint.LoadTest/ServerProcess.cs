using System.Diagnostics;
using System.Text.Json;
using Inpaint.Hosting;

namespace Inpaint.LoadTest;

/// <summary>inpaint-server in its own process on 127.0.0.1, with batching on or off; stopped when disposed.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, Uri address, JsonElement model)
    {
        this.process = process;
        Address = address;
        Model = model;
    }

    public Uri Address { get; }

    /// <summary>GET /v1/model once ready.</summary>
    public JsonElement Model { get; }

    /// <summary>The server's resident set now, in KiB (from /proc).</summary>
    public long RssKiB => Status("VmRSS:");

    /// <summary>The server's largest resident set since start or since <see cref="ResetPeak"/>, in KiB.</summary>
    public long PeakRssKiB => Status("VmHWM:");

    /// <summary>Starts a new peak (Linux: writing 5 to clear_refs resets VmHWM); false where that is not allowed.</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long Status(string key)
    {
        foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }

    /// <summary>
    /// CPU time the server has used (user + system, from /proc): requests per CPU second measure the work a request
    /// costs, whatever share of the cores the scheduler gave the server.
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            string stat = File.ReadAllText($"/proc/{process.Id}/stat");
            // Fields after the command name (which is in parentheses and may hold spaces): state is field 3, utime 14, stime 15.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
    }

    public static async Task<ServerProcess> StartAsync(LoadOptions options, bool batching)
    {
        var address = new Uri($"http://127.0.0.1:{options.Port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.GetFullPath(options.Server), "--urls", address.ToString().TrimEnd('/'),
                $"--Inpaint:ModelPath={Path.GetFullPath(ModelLocator.Resolve(options.Model))}",
                $"--Inpaint:Batching:Enabled={batching}",
                "--Inpaint:QueueLength=256",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // 0: the server's own default (what a user gets).
        if (options.ConcurrentRepairs > 0) start.ArgumentList.Add($"--Inpaint:MaxConcurrentRepairs={options.ConcurrentRepairs}");
        foreach (string setting in options.Settings) start.ArgumentList.Add($"--{setting}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"server: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the server stopped with exit code {process.ExitCode}");
            try
            {
                using var ready = await client.GetAsync("readyz");
                if (ready.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the server did not become ready in 60 s");
            await Task.Delay(200);
        }
        using var model = JsonDocument.Parse(await client.GetStringAsync("v1/model"));
        return new ServerProcess(process, address, model.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
