using Inpaint.Imaging;
using Inpaint.OnnxInpaint;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Server.Tests.Browser;

/// <summary>
/// The page in a real headless Chromium against the server on a real port: open, paint with the mouse, repair,
/// compare, download; undo and the eraser; drag and drop; the server's refusals; a phone-size screen.
/// </summary>
public sealed class PageTests
{
    /// <summary>The shipped model (the server's default), for the test that makes the README's screenshot.</summary>
    private static readonly Dictionary<string, string?> Shipped = new() { ["Inpaint:ModelPath"] = "" };

    /// <summary>The bounding box of the white pixels of a sample's mask.</summary>
    private static (int Left, int Top, int Right, int Bottom, bool[] Holes) Damage(string maskSample)
    {
        using var mask = Image.Load<L8>(TestImages.Sample(maskSample));
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        var holes = new bool[mask.Width * mask.Height];
        for (int y = 0; y < mask.Height; y++)
            for (int x = 0; x < mask.Width; x++)
                if (mask[x, y].PackedValue >= 128)
                {
                    holes[y * mask.Width + x] = true;
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                }
        return (left, top, right, bottom, holes);
    }

    /// <summary>Zig-zag strokes covering a rectangle of the photo, with a margin.</summary>
    private static async Task PaintOver(PageSession session, int left, int top, int right, int bottom, int margin)
    {
        var points = new List<(double, double)>();
        bool forward = true;
        for (int y = top - margin; y <= bottom + margin; y += 4)
        {
            points.Add((forward ? left - margin : right + margin, y));
            points.Add((forward ? right + margin : left - margin, y));
            forward = !forward;
        }
        await session.StrokeAsync([.. points]);
    }

    [BrowserFact]
    public async Task Paint_repair_compare_and_download_change_only_the_painted_pixels()
    {
        await using var session = await PageSession.StartAsync(Shipped);
        IPage page = session.Page;
        await Assertions.Expect(page.Locator("#model")).ToContainTextAsync("Model freeform (freeform, inpaint-freeform.onnx) on CPU");
        await session.OpenAsync("center.png");
        var damage = Damage("center-mask.png");
        await page.Locator("#size").FillAsync("30");
        await PaintOver(session, damage.Left, damage.Top, damage.Right, damage.Bottom, margin: 6);
        string? screenshot = Environment.GetEnvironmentVariable("INPAINT_SCREENSHOT");
        if (!string.IsNullOrEmpty(screenshot))
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.ChangeExtension(screenshot, null) + "-paint.png", FullPage = true });

        var (maskBytes, status, body) = await session.RepairAsync();
        Assert.Equal(200, status);
        Assert.True(body.Length > 1000, $"the answer has {body.Length} bytes");
        await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#stats")).ToContainTextAsync("pixels repaired");

        using var input = Image.Load<Rgba32>(TestImages.Sample("center.png"));
        using var mask = Image.Load<Rgba32>(maskBytes);
        using var result = Image.Load<Rgba32>(body);
        Assert.Equal(input.Size(), mask.Size());
        Assert.Equal(input.Size(), result.Size());
        int painted = 0, damageCovered = 0, changed = 0;
        for (int y = 0; y < input.Height; y++)
            for (int x = 0; x < input.Width; x++)
            {
                Rgba32 m = mask[x, y];
                Assert.True(m is { R: 0 or 255, A: 255 } && m.R == m.G && m.G == m.B, $"mask pixel ({x},{y}) is {m}: not black or white");
                bool white = m.R == 255;
                if (white) painted++;
                if (white && damage.Holes[y * input.Width + x]) damageCovered++;
                if (input[x, y] != result[x, y])
                {
                    changed++;
                    Assert.True(white, $"pixel ({x},{y}) changed outside the painted strokes");
                }
            }
        int damagePixels = damage.Holes.Count(h => h);
        Assert.True(damageCovered >= 0.98 * damagePixels, $"the strokes cover {damageCovered} of {damagePixels} damaged pixels");
        Assert.True(painted < 3 * damagePixels, $"{painted} pixels painted for {damagePixels} damaged ones");
        Assert.True(changed > damagePixels / 2, $"only {changed} pixels changed");

        // Download gives the same bytes the server answered.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download"));
        Assert.Equal("center-repaired.png", download.SuggestedFilename);
        Assert.Equal(body, await File.ReadAllBytesAsync((await download.PathAsync())!));

        // The comparison slider moves the split; the README's screenshot has it across the hole (before | after).
        await page.Locator("#split").FillAsync("51");
        Assert.Equal("51%", await page.EvalOnSelectorAsync<string>("#compare", "e => e.style.getPropertyValue('--split')"));
        if (!string.IsNullOrEmpty(screenshot)) await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
    }

    [BrowserFact]
    public async Task Undo_and_the_eraser_shape_the_mask_that_is_sent()
    {
        await using var session = await PageSession.StartAsync();
        IPage page = session.Page;
        await session.OpenAsync("scratches.png");
        await page.Locator("#size").FillAsync("12");
        await session.StrokeAsync((100, 100), (500, 100));   // kept, but erased in its middle
        await session.StrokeAsync((100, 300), (500, 300));   // undone
        await Assertions.Expect(page.Locator("#undo")).ToBeEnabledAsync();
        await page.ClickAsync("#undo");
        await page.ClickAsync("#eraser");
        await page.Locator("#size").FillAsync("60");
        await session.StrokeAsync((300, 60), (300, 140));

        var (maskBytes, status, _) = await session.RepairAsync();
        Assert.Equal(200, status);
        using var mask = Image.Load<L8>(maskBytes);
        Assert.Equal(255, mask[150, 100].PackedValue);
        Assert.Equal(255, mask[450, 100].PackedValue);
        Assert.Equal(0, mask[300, 100].PackedValue); // erased
        Assert.Equal(0, mask[300, 300].PackedValue); // undone
        Assert.Equal(0, mask[150, 300].PackedValue);
        Assert.Equal(0, mask[150, 200].PackedValue);

        // Clear removes everything: nothing left to repair.
        await page.ClickAsync("#back");
        await page.ClickAsync("#clear");
        await Assertions.Expect(page.Locator("#repair")).ToBeDisabledAsync();
    }

    [BrowserFact]
    public async Task Find_damage_paints_what_the_detector_finds_and_the_user_edits_it_before_repair()
    {
        await using var session = await PageSession.StartAsync();
        IPage page = session.Page;
        await session.OpenAsync("old-photo.png");
        await Assertions.Expect(page.Locator("#detect")).ToBeVisibleAsync();
        HoleMap found;
        using (var detector = DamageDetector.Load(Path.Combine(AppContext.BaseDirectory, "models", "inpaint-detector.onnx"),
                   new InpaintModelOptions { Provider = ExecutionProvider.Cpu, IntraOpThreads = 1 }))
        using (var photo = Image.Load<Rgba32>(TestImages.Sample("old-photo.png")))
            found = detector.Detect(photo);

        await page.ClickAsync("#detect");
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync($"The detector marked {found.Count:N0} pixels");
        await Assertions.Expect(page.Locator("#repair")).ToBeEnabledAsync();
        // Undo takes the whole detection back; find it again and erase a band of it.
        await page.ClickAsync("#undo");
        await Assertions.Expect(page.Locator("#repair")).ToBeDisabledAsync();
        await page.ClickAsync("#detect");
        await Assertions.Expect(page.Locator("#repair")).ToBeEnabledAsync();
        await page.ClickAsync("#eraser");
        await page.Locator("#size").FillAsync("40");
        await session.StrokeAsync((0, 240), (639, 240));

        var (maskBytes, status, _) = await session.RepairAsync();
        Assert.Equal(200, status);
        using var mask = Image.Load<L8>(maskBytes);
        int kept = 0, erased = 0;
        for (int y = 0; y < mask.Height; y++)
            for (int x = 0; x < mask.Width; x++)
            {
                bool sent = mask[x, y].PackedValue == 255;
                if (Math.Abs(y - 240) > 30) Assert.True(sent == found[x, y], $"pixel ({x}, {y}): sent {sent}, found {found[x, y]}");
                else if (Math.Abs(y - 240) < 10 && found[x, y]) { if (sent) kept++; else erased++; }
            }
        Assert.True(erased > 0 && kept == 0, $"the eraser's band kept {kept} and erased {erased} found pixels");
    }

    [BrowserFact]
    public async Task Find_damage_is_not_offered_when_the_server_has_no_detector()
    {
        await using var session = await PageSession.StartAsync(new Dictionary<string, string?> { ["Inpaint:DetectorPath"] = "none" });
        await session.OpenAsync("scratches.png");
        await Assertions.Expect(session.Page.Locator("#model")).ToContainTextAsync("Model");
        await Assertions.Expect(session.Page.Locator("#detect")).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task A_photo_dropped_on_the_page_opens()
    {
        await using var session = await PageSession.StartAsync();
        IPage page = session.Page;
        string png = Convert.ToBase64String(await File.ReadAllBytesAsync(TestImages.Sample("text.png")));
        var dataTransfer = await page.EvaluateHandleAsync(
            "b64 => { const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0)); const dt = new DataTransfer();" +
            " dt.items.add(new File([bytes], 'text.png', { type: 'image/png' })); return dt; }", png);
        await page.DispatchEventAsync("#open", "drop", new Dictionary<string, object> { ["dataTransfer"] = dataTransfer });
        await Assertions.Expect(page.Locator("#editor")).ToBeVisibleAsync();
        int[] size = await page.EvalOnSelectorAsync<int[]>("#paint", "c => [c.width, c.height]");
        Assert.Equal(new[] { 640, 481 }, size);
    }

    [BrowserFact]
    public async Task The_servers_refusals_are_shown_as_one_clear_message()
    {
        await using var session = await PageSession.StartAsync(new() { ["Inpaint:Limits:MaxPixels"] = "1000" });
        IPage page = session.Page;
        await session.OpenAsync("center.png");
        await session.StrokeAsync((300, 200), (340, 200));
        var (_, status, _) = await session.RepairAsync();
        Assert.Equal(413, status);
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Too large for this server: 'center.png' is 640x480, above the limit of 1,000 pixels");
        await Assertions.Expect(page.Locator("#editor")).ToBeVisibleAsync();

        // A busy server (503 with problem details, as when the queue is full).
        await page.RouteAsync("**/v1/repair", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503, ContentType = "application/problem+json",
            Body = "{\"status\":503,\"title\":\"Busy\",\"detail\":\"the server is busy: 16 repairs are running and 64 waiting; try again shortly\"}",
        }));
        await page.ClickAsync("#repair");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync(
            "The server is busy: the server is busy: 16 repairs are running and 64 waiting; try again shortly. Please try again in a moment.");
    }

    [BrowserFact]
    public async Task A_mask_over_most_of_the_photo_is_asked_about_before_it_is_sent()
    {
        await using var session = await PageSession.StartAsync(Shipped);
        IPage page = session.Page;
        await session.OpenAsync("center.png"); // 640x480
        await page.Locator("#size").FillAsync("60");
        await PaintOver(session, 100, 60, 540, 420, margin: 0); // about 500x420 of 640x480: 68 %
        string? asked = null;
        int requests = 0;
        void Dismiss(object? sender, IDialog dialog) { asked = dialog.Message; _ = dialog.DismissAsync(); }
        void Count(object? sender, IRequest request) { if (request.Url.EndsWith("/v1/repair", StringComparison.Ordinal)) requests++; }
        page.Dialog += Dismiss;
        page.Request += Count;
        await page.ClickAsync("#repair");
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("of the photo. Paint only what should be repaired.");
        Assert.Matches(@"^The mask covers \d+ % of the photo, more than 60 %\. Repair it anyway\?$", asked);
        Assert.Equal(0, requests);
        page.Dialog -= Dismiss;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        var (_, status, body) = await session.RepairAsync(); // accepted: sent with allowLargeHoles=true, and repaired
        Assert.Equal(200, status);
        Assert.True(body.Length > 1000);
        page.Request -= Count;
    }

    [BrowserFact]
    public async Task The_page_fits_a_phone_screen_and_repairs_there()
    {
        await using var session = await PageSession.StartAsync(pageOptions: new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
        });
        IPage page = session.Page;
        await session.OpenAsync("object.png");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        var canvas = (await page.Locator("#paint").BoundingBoxAsync())!;
        Assert.InRange(canvas.Width, 300, 390);
        foreach (string button in new[] { "#brush", "#eraser", "#undo", "#clear", "#repair" })
        {
            var box = (await page.Locator(button).BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{button} is off the screen");
            Assert.True(box.Height >= 40, $"{button} is too small to tap");
        }
        await session.StrokeAsync((200, 150), (300, 200));
        var (_, status, _) = await session.RepairAsync();
        Assert.Equal(200, status);
        await Assertions.Expect(page.Locator("#result")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the result scrolls sideways");
    }
}
