using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inpaint.Server.Tests;

/// <summary>
/// The published server started the way the container's entrypoint starts it (docs/container.md): `dotnet
/// inpaint-server.dll` in the publish folder, as the image's non-root user, the port from ASPNETCORE_HTTP_PORTS, the
/// container's environment, the shipped models from inside the folder. No image is built here (no registry, no
/// container engine on this machine): this is what can be checked of it without one.
/// </summary>
public sealed class ContainerEntrypointTests
{
    /// <summary>The user id of the ASP.NET Core images' non-root user, "app".</summary>
    private const int AppUser = 1654;

    [Fact]
    public async Task The_published_server_run_as_the_containers_user_on_its_port_answers_health_and_a_repair()
    {
        string root = Repository.Root(), work = Path.Combine(Path.GetTempPath(), $"inpaint-container-{Guid.NewGuid():N}");
        string app = Path.Combine(work, "app"), home = Path.Combine(work, "home");
        Directory.CreateDirectory(home);
        try
        {
            Run(root, "dotnet", "publish", Path.Combine(root, "src", "OnnxInpaint.Server"), "-c", "Release", "-o", app,
                "--artifacts-path", Path.Combine(work, "artifacts"));
            Assert.True(File.Exists(Path.Combine(app, "models", "inpaint-freeform.onnx")), "the shipped model is not in the publish folder");
            Assert.True(File.Exists(Path.Combine(app, "models", "inpaint-detector.onnx")), "the shipped detector is not in the publish folder");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, (UnixFileMode)0x1FF); // the container user's home: writable for it

            int port = FreePort();
            bool root0 = Environment.UserName == "root";
            // As root (CI), drop to the image's user the way its USER line does; otherwise run as whoever we are.
            var info = root0
                ? new ProcessStartInfo("setpriv", ["--reuid", $"{AppUser}", "--regid", $"{AppUser}", "--clear-groups", "dotnet", "inpaint-server.dll"])
                : new ProcessStartInfo("dotnet", ["inpaint-server.dll"]);
            info.WorkingDirectory = app;
            info.RedirectStandardOutput = info.RedirectStandardError = true;
            foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE", StringComparison.Ordinal) || k.StartsWith("MSBUILD", StringComparison.Ordinal)).ToList())
                info.Environment.Remove(key);
            info.Environment["HOME"] = home;
            info.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
            info.Environment["Inpaint__Device"] = "Cpu"; // as the image sets it
            using var server = Process.Start(info)!;
            var log = new System.Text.StringBuilder();
            server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
                await WaitHealthy(client, server, log);
                if (root0) Assert.Contains($"Uid:\t{AppUser}\t", File.ReadAllText($"/proc/{server.Id}/status"));
                byte[] photo = File.ReadAllBytes(Path.Combine(root, "samples", "scratches.png"));
                byte[] mask = File.ReadAllBytes(Path.Combine(root, "samples", "scratches-mask.png"));
                using var repaired = await client.PostAsync("/v1/repair", Http.Form(photo, mask, "scratches.png"));
                Assert.Equal(HttpStatusCode.OK, repaired.StatusCode);
                using var image = TestImages.Decode(await repaired.Content.ReadAsByteArrayAsync());
                Assert.Equal((640, 480), (image.Width, image.Height));
                string model = await client.GetStringAsync("/v1/model");
                Assert.Contains("\"file\":\"inpaint-freeform.onnx\"", model);
                Assert.Contains("\"provider\":\"Cpu\"", model);
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit();
            }
            lock (log) Assert.DoesNotContain("Overriding", log.ToString()); // nothing else claimed the address
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task WaitHealthy(HttpClient client, Process server, System.Text.StringBuilder log)
    {
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(server.HasExited, $"the server stopped: {log}");
            try
            {
                using var health = await client.GetAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        Assert.Fail($"no healthy answer within 60 s: {log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string directory, string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList()) info.Environment.Remove(key);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed:\n{output}{error.Result}");
    }
}

/// <summary>The repository the tests were built from.</summary>
internal static class Repository
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Inpaint.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
