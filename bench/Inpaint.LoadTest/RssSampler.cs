namespace Inpaint.LoadTest;

/// <summary>Reads the server's RSS at a fixed interval until stopped.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly List<(double Seconds, long KiB)> series = [];
    private readonly Timer timer;
    private readonly DateTime start = DateTime.UtcNow;

    public RssSampler(ServerProcess server, TimeSpan every) =>
        timer = new Timer(_ =>
        {
            lock (series) series.Add(((DateTime.UtcNow - start).TotalSeconds, server.RssKiB));
        }, null, every, every);

    /// <summary>Stops sampling and returns the samples: seconds since the start, RSS in KiB.</summary>
    public IReadOnlyList<(double Seconds, long KiB)> Stop()
    {
        timer.Change(Timeout.Infinite, Timeout.Infinite);
        lock (series) return [.. series];
    }

    public void Dispose() => timer.Dispose();
}
