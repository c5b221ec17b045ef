using Inpaint.OnnxInpaint.AspNetCore;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Server.Tests;

/// <summary>
/// POST /v1/detect and POST /v1/repair with auto=true: the mask the library's detector finds, the repair of exactly
/// that, a photo with nothing found left as it was, and the refusals (no detector, a bad threshold, no mask without auto).
/// </summary>
public sealed class DetectEndpointTests : IDisposable
{
    private static readonly string ShippedDetector = Path.Combine(AppContext.BaseDirectory, "models", "inpaint-detector.onnx");
    private readonly ServerFactory server = new(new Dictionary<string, string?> { ["Inpaint:DetectorPath"] = ShippedDetector });

    public void Dispose() => server.Dispose();

    private async Task<HttpResponseMessage> Post(string path, byte[] image, byte[]? mask = null, params (string, string)[] fields)
    {
        using var client = server.CreateClient();
        return await client.PostAsync(path, Http.Form(image, mask, "old-photo.png", "mask.png", fields));
    }

    /// <summary>What the library's detector finds in the README's old-photo sample, at its own threshold.</summary>
    private static (byte[] Photo, HoleMap Damage) OldPhoto()
    {
        byte[] bytes = File.ReadAllBytes(TestImages.Sample("old-photo.png"));
        using var detector = DamageDetector.Load(ShippedDetector, new InpaintModelOptions { Provider = ExecutionProvider.Cpu, IntraOpThreads = 1 });
        using Image<Rgba32> photo = TestImages.Decode(bytes);
        return (bytes, detector.Detect(photo));
    }

    [Fact]
    public async Task Detect_answers_the_librarys_mask_of_the_photos_size_white_where_damage_is()
    {
        var (photo, damage) = OldPhoto();
        Assert.True(damage.Count > 1000, $"the shipped detector found only {damage.Count} pixels in the sample");
        using var response = await Post("/v1/detect", photo);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(damage.Count.ToString(), response.Headers.GetValues("X-Inpaint-Damage-Pixels").Single());
        Assert.Equal("0.5", response.Headers.GetValues("X-Inpaint-Threshold").Single());
        using var mask = Image.Load<L8>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((damage.Width, damage.Height), (mask.Width, mask.Height));
        for (int y = 0; y < mask.Height; y++)
            for (int x = 0; x < mask.Width; x++)
                Assert.Equal(damage[x, y] ? 255 : 0, mask[x, y].PackedValue);
    }

    [Fact]
    public async Task A_lower_threshold_finds_more()
    {
        var (photo, damage) = OldPhoto();
        using var response = await Post("/v1/detect", photo, null, ("threshold", "0.3"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0.3", response.Headers.GetValues("X-Inpaint-Threshold").Single());
        Assert.True(int.Parse(response.Headers.GetValues("X-Inpaint-Damage-Pixels").Single()) > damage.Count);
    }

    [Fact]
    public async Task Repair_with_auto_changes_only_what_the_detector_found_grown_by_grow()
    {
        var (photo, damage) = OldPhoto();
        HoleMap grown = damage.Grow(2);
        using var response = await Post("/v1/repair", photo, null, ("auto", "true"), ("grow", "2"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(grown.Count.ToString(), response.Headers.GetValues("X-Inpaint-Detected-Pixels").Single());
        Assert.Equal(grown.Count.ToString(), response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
        using var before = TestImages.Decode(photo);
        using var after = TestImages.Decode(await response.Content.ReadAsByteArrayAsync());
        var changed = TestImages.Differences(before, after);
        Assert.True(changed.Count > damage.Count / 2, $"only {changed.Count} pixels changed");
        Assert.All(changed, p => Assert.True(grown[p.X, p.Y], $"pixel {p} changed but was not found"));
    }

    [Fact]
    public async Task Repair_with_auto_and_a_mask_repairs_both()
    {
        var (photo, damage) = OldPhoto();
        var square = TestImages.Square(8, 8, 12);
        Assert.False(damage[10, 10]);
        using var response = await Post("/v1/repair", photo, TestImages.MaskPng(damage.Width, damage.Height, square), ("auto", "true"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        int both = damage.Union(new HoleMap(damage.Width, damage.Height,
            [.. Enumerable.Range(0, damage.Width * damage.Height).Select(i => square(i % damage.Width, i / damage.Width))], MaskSource.Luminance)).Count;
        Assert.Equal(both.ToString(), response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
    }

    [Fact]
    public async Task Repair_with_auto_that_finds_nothing_answers_the_photo_as_it_was()
    {
        // A smooth gradient: nothing in it looks like damage.
        using var gradient = new Image<Rgba32>(96, 64);
        for (int y = 0; y < gradient.Height; y++)
            for (int x = 0; x < gradient.Width; x++)
                gradient[x, y] = new Rgba32((byte)(60 + x), (byte)(90 + y), 140, 255);
        byte[] photo = TestImages.Png(gradient);
        using var response = await Post("/v1/repair", photo, null, ("auto", "true"), ("threshold", "0.99"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("X-Inpaint-Detected-Pixels").Single());
        Assert.Equal("0", response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
        using var before = TestImages.Decode(photo);
        using var after = TestImages.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(TestImages.Differences(before, after));
    }

    [Fact]
    public async Task Auto_with_a_blank_mask_field_as_an_empty_file_input_sends_it_is_detection_alone_and_variants_keep_the_servers_limit()
    {
        byte[] photo = TestImages.PhotoPng(48, 40);
        using (var blank = await Post("/v1/repair", photo, null, ("auto", "true"), ("mask", ""), ("threshold", "0.99")))
            Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        using var many = await Post("/v1/repair", photo, null, ("auto", "true"), ("threshold", "0.99"), ("variants", "9"));
        Assert.Equal((400, "variants must be between 1 and 4; got 9"), await Http.Problem(many));
        Assert.False(many.Headers.Contains("X-Inpaint-Detected-Pixels"));
    }

    [Theory]
    [InlineData("/v1/detect", "1.5", "threshold must be between 0 and 0.99 (0: the detector's own); got 1.5")]
    [InlineData("/v1/detect", "high", "threshold must be a number between 0 and 0.99; got 'high'")]
    [InlineData("/v1/repair", "-0.1", "threshold must be between 0 and 0.99 (0: the detector's own); got -0.1")]
    public async Task A_bad_threshold_is_refused_with_the_clis_words(string path, string threshold, string detail)
    {
        using var response = await Post(path, TestImages.PhotoPng(32, 32), null, ("auto", "true"), ("threshold", threshold));
        var (status, text) = await Http.Problem(response);
        Assert.Equal(400, status);
        Assert.Equal(detail, text);
    }

    [Fact]
    public async Task Repair_without_a_mask_or_auto_says_to_send_either()
    {
        using var response = await Post("/v1/repair", TestImages.PhotoPng(32, 32));
        var (status, detail) = await Http.Problem(response);
        Assert.Equal(400, status);
        Assert.Equal("the form has no 'mask' file (the mask, white = repair; or send auto=true to find the damage)", detail);
    }

    [Fact]
    public async Task Detect_refuses_a_form_without_a_photo_and_a_file_that_is_not_one()
    {
        using (var response = await Post("/v1/detect", "not an image"u8.ToArray()))
        {
            var (status, detail) = await Http.Problem(response);
            Assert.Equal(400, status);
            Assert.Contains("old-photo.png", detail);
        }
        using var client = server.CreateClient();
        using var empty = await client.PostAsync("/v1/detect", Http.Form(null, null, fields: ("threshold", "0.5")));
        Assert.Equal((400, "the form has no 'image' file (the photo)"), await Http.Problem(empty));
        using var json = await client.PostAsync("/v1/detect", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((415, DetectEndpoint.NotAForm), await Http.Problem(json));
    }

    [Fact]
    public async Task The_model_endpoint_names_the_detector()
    {
        using var client = server.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/model"));
        JsonElement detector = json.RootElement.GetProperty("detector");
        Assert.Equal("inpaint-detector.onnx", detector.GetProperty("file").GetString());
        Assert.Equal("detector", detector.GetProperty("architecture").GetString());
        Assert.Equal(0.5, detector.GetProperty("threshold").GetDouble(), 6);
    }

    [Fact]
    public async Task Without_a_detector_detection_and_auto_answer_501_and_the_model_endpoint_says_none()
    {
        using var none = new ServerFactory(new Dictionary<string, string?> { ["Inpaint:DetectorPath"] = "none" });
        using var client = none.CreateClient();
        byte[] photo = TestImages.PhotoPng(32, 32);
        string expected = "this server has no damage detector: start it with Inpaint:DetectorPath set to one";
        using (var detect = await client.PostAsync("/v1/detect", Http.Form(photo, null)))
            Assert.Equal((501, expected), await Http.Problem(detect));
        using (var repair = await client.PostAsync("/v1/repair", Http.Form(photo, null, fields: ("auto", "true"))))
            Assert.Equal((501, expected), await Http.Problem(repair));
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/model"));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("detector").ValueKind);
    }

    [Theory]
    [InlineData("missing.onnx", "model 'missing.onnx' does not exist")]
    [InlineData("MODEL", "inpainter, not a damage detector")]
    public void A_detector_that_cannot_be_used_stops_the_server(string path, string words)
    {
        string detector = path == "MODEL" ? TestImages.Fixture("tiny-32.onnx") : path;
        var settings = new Dictionary<string, string?>(ServerFactory.Defaults) { ["Urls"] = "http://127.0.0.1:0", ["Inpaint:DetectorPath"] = detector };
        Exception e = Assert.ThrowsAny<Exception>(() =>
        {
            using WebApplication app = InpaintServer.Build([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")]);
            app.StartAsync().GetAwaiter().GetResult();
        });
        Assert.Contains(words, e.Message);
    }
}
