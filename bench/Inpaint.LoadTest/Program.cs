using Inpaint.LoadTest;

// Load test of inpaint-server on loopback: see bench/RESULTS.md ("Service under load") for the command and the figures.
var options = LoadOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
var report = new Report(options);
report.Header();

// The same repairs in one thread through the library: the reference the service is measured against.
report.Baseline(LibraryBaseline.Run(options));

foreach (bool batching in options.Batching)
{
    await using var server = await ServerProcess.StartAsync(options, batching);
    report.Server(batching, server);
    long ready = server.RssKiB;
    // With --sample S, the server's RSS every S seconds over the steps and the idle wait (a soak's flatness).
    using var sampler = options.Sample > 0 ? new RssSampler(server, TimeSpan.FromSeconds(options.Sample)) : null;
    foreach (int callers in options.Callers)
        report.Add(await HttpLoad.RunAsync(server, options, callers, batching));
    if (options.Idle > 0)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.Idle));
        report.Idle(batching, options.Idle, ready, server.RssKiB);
    }
    if (sampler is not null) report.Samples(batching, sampler.Stop());
}
report.Ratios();
return report.Errors == 0 ? 0 : 1;
