using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Inpaint.Server.Tests.Browser;

/// <summary>The server on a real Kestrel port on 127.0.0.1 and a headless Chromium page opened on it.</summary>
internal sealed class PageSession : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly ServerFactory server;
    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private PageSession(ServerFactory server, IPlaywright playwright, IBrowser browser, IPage page, string address)
    {
        this.server = server;
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
        Address = address;
    }

    public IPage Page { get; }

    public string Address { get; }

    public ServerFactory Server => server;

    /// <summary>Starts the server (settings over the test defaults) and opens the page in a fresh browser.</summary>
    public static async Task<PageSession> StartAsync(Dictionary<string, string?>? settings = null, BrowserNewPageOptions? pageOptions = null)
    {
        if (!File.Exists(BrowserFactAttribute.Chromium))
            throw new InvalidOperationException($"{BrowserFactAttribute.Chromium} is missing: install Debian's chromium package (.ci/run does this in CI)");
        var server = new ServerFactory(settings);
        server.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server.StartServer();
        string address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Assert.StartsWith("http://127.0.0.1:", address);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.Chromium, Headless = true, Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync(pageOptions ?? new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(address);
        return new PageSession(server, playwright, browser, page, address);
    }

    /// <summary>Opens a sample photo with the file picker and waits for the editor.</summary>
    public async Task OpenAsync(string sample)
    {
        await Page.SetInputFilesAsync("#file", TestImages.Sample(sample));
        await Page.Locator("#editor").WaitForAsync();
    }

    /// <summary>Where photo pixel (x, y) is on the screen.</summary>
    public async Task<(float X, float Y)> ScreenAsync(double x, double y)
    {
        var box = (await Page.Locator("#paint").BoundingBoxAsync())!;
        int width = await Page.EvalOnSelectorAsync<int>("#paint", "c => c.width");
        int height = await Page.EvalOnSelectorAsync<int>("#paint", "c => c.height");
        return ((float)(box.X + (x + 0.5) * box.Width / width), (float)(box.Y + (y + 0.5) * box.Height / height));
    }

    /// <summary>A stroke with the mouse through photo points.</summary>
    public async Task StrokeAsync(params (double X, double Y)[] points)
    {
        var (x0, y0) = await ScreenAsync(points[0].X, points[0].Y);
        await Page.Mouse.MoveAsync(x0, y0);
        await Page.Mouse.DownAsync();
        foreach (var p in points.Skip(1))
        {
            var (x, y) = await ScreenAsync(p.X, p.Y);
            await Page.Mouse.MoveAsync(x, y, new MouseMoveOptions { Steps = 8 });
        }
        await Page.Mouse.UpAsync();
    }

    /// <summary>Presses Repair; returns the mask the page sent and the answer's status and body.</summary>
    public async Task<(byte[] Mask, int Status, byte[] Body)> RepairAsync()
    {
        byte[]? mask = null;
        string? contentType = null;
        await Page.RouteAsync("**/v1/repair", async route =>
        {
            mask = route.Request.PostDataBuffer;
            contentType = await route.Request.HeaderValueAsync("content-type");
            await route.ContinueAsync();
        });
        var response = await Page.RunAndWaitForResponseAsync(() => Page.ClickAsync("#repair"), r => r.Url.EndsWith("/v1/repair", StringComparison.Ordinal));
        await Page.UnrouteAllAsync();
        Assert.NotNull(mask);
        // The answer as the page holds it (the image it shows and offers for download): an intercepted response's
        // body is not always kept by the browser.
        byte[] body = [];
        if (response.Ok)
        {
            await Page.Locator("#result").WaitForAsync();
            string base64 = await Page.EvaluateAsync<string>(
                "async () => { const bytes = new Uint8Array(await (await fetch(document.getElementById('after').src)).arrayBuffer());" +
                " let text = ''; for (const b of bytes) text += String.fromCharCode(b); return btoa(text); }");
            body = Convert.FromBase64String(base64);
        }
        return (await Multipart.FileAsync(mask!, contentType!, "mask"), response.Status, body);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        server.Dispose();
    }
}
