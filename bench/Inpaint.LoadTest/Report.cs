using System.Text.Json;

namespace Inpaint.LoadTest;

/// <summary>Prints the results as Markdown tables for bench/RESULTS.md.</summary>
internal sealed class Report(LoadOptions options)
{
    private readonly List<StepResult> steps = [];

    public int Errors => steps.Sum(s => s.Errors);

    public void Header()
    {
        Console.WriteLine($"photo {options.Photo}, mask {options.Mask}; {options.Seconds:0} s per step after {options.Warmup:0} s of warm-up; " +
                          $"{Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| run | callers | requests | req/s | p50 ms | p95 ms | p99 ms | mean batch | CPU s/req | RSS start → end | peak RSS | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
    }

    public void Baseline(StepResult result) => Add(result);

    public void Server(bool batching, ServerProcess server)
    {
        JsonElement m = server.Model;
        Console.Error.WriteLine($"server ready: {m.GetProperty("file")} ({m.GetProperty("architecture")}, {m.GetProperty("family")}) on " +
                                $"{m.GetProperty("provider")}, batching {(batching ? "on" : "off")}, {m.GetProperty("limits").GetProperty("maxConcurrentRepairs")} repair threads");
    }

    public void Add(StepResult s)
    {
        steps.Add(s);
        Console.WriteLine($"| {s.Name} | {s.Callers} | {s.Requests} | {s.RequestsPerSecond:0.00} | {s.Latencies.Percentile(50):0} | {s.Latencies.Percentile(95):0} | " +
                          $"{s.Latencies.Percentile(99):0} | {s.MeanBatchSize:0.0} | {s.CpuPerRequest:0.00} | {Mib(s.RssStartKiB)} → {Mib(s.RssEndKiB)} | {(s.RssPeakKiB > 0 ? Mib(s.RssPeakKiB) : "")} | {s.Errors}{(s.Errors > 0 ? $" ({s.ErrorSummary})" : "")} |");
    }

    /// <summary>The server's memory once the load has stopped, against its RSS when it became ready.</summary>
    public void Idle(bool batching, double seconds, long readyKiB, long idleKiB) =>
        idle.Add($"- batching {(batching ? "on" : "off")}: RSS {Mib(readyKiB)} when ready, {Mib(idleKiB)} {seconds:0} s after the load stopped ({(double)idleKiB / readyKiB:0.00}x)");

    private readonly List<string> idle = [];

    /// <summary>The RSS series of one server, in MiB, with its first and last values and its range after the first quarter.</summary>
    public void Samples(bool batching, IReadOnlyList<(double Seconds, long KiB)> series)
    {
        if (series.Count == 0) return;
        var settled = series.Skip(series.Count / 4).Select(s => s.KiB).ToList();
        idle.Add($"- batching {(batching ? "on" : "off")}: RSS every {series[0].Seconds:0} s: " +
                 string.Join(", ", series.Select(s => $"{s.KiB / 1024.0:0}")) + " MiB" +
                 $"; after the first quarter {settled.Min() / 1024.0:0} to {settled.Max() / 1024.0:0} MiB");
    }

    public void Ratios()
    {
        Console.WriteLine();
        foreach (string line in idle) Console.WriteLine(line);
        StepResult? library = steps.FirstOrDefault(s => s.Batching is null);
        foreach (int callers in options.Callers)
        {
            StepResult? on = steps.FirstOrDefault(s => s.Batching == true && s.Callers == callers);
            StepResult? off = steps.FirstOrDefault(s => s.Batching == false && s.Callers == callers);
            string vsOff = on is not null && off is not null
                ? $"batching on / off {on.RequestsPerSecond / off.RequestsPerSecond:0.00}x in req/s, {off.CpuPerRequest / on.CpuPerRequest:0.00}x in requests per CPU second"
                : "";
            string vsLibrary = on is not null && library is not null ? $"on / library one thread {on.RequestsPerSecond / library.RequestsPerSecond:0.00}x" : "";
            Console.WriteLine($"- {callers} callers: {vsOff}{(vsOff.Length > 0 && vsLibrary.Length > 0 ? "; " : "")}{vsLibrary}");
        }
    }

    private static string Mib(long kib) => $"{kib / 1024.0:0} MiB";
}
