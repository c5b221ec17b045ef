using Inpaint.OnnxInpaint.AspNetCore;
using System.Net;
using System.Text;
using Inpaint.Cli;

namespace Inpaint.Server.Tests;

/// <summary>
/// Refusals: 400 for bad input, 413 over the size limits, always RFC 7807 problem details whose detail is the line
/// the CLI prints for the same file (with the uploaded name where the CLI has the path), never a 500.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private const int W = 64, H = 48;
    private readonly ServerFactory server = new(new Dictionary<string, string?>
    {
        ["Inpaint:Limits:MaxPixels"] = "10000",
        ["Inpaint:Limits:MaxBodyBytes"] = "200000",
    });
    private readonly string folder = Directory.CreateTempSubdirectory("inpaint-server-tests").FullName;

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<(int Status, string Detail)> Refusal(HttpContent content)
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsync("/v1/repair", content);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        return await Http.Problem(response);
    }

    /// <summary>What `inpaint repair` prints for these files, with each path replaced by its file name.</summary>
    private string CliError(byte[] photo, string photoName, byte[] mask, string maskName, params string[] options)
    {
        string photoPath = Path.Combine(folder, photoName), maskPath = Path.Combine(folder, maskName);
        File.WriteAllBytes(photoPath, photo);
        File.WriteAllBytes(maskPath, mask);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = InpaintCli.Run(["repair", photoPath, "--mask", maskPath, "-o", Path.Combine(folder, "out.png"),
            "--model", TestImages.Fixture("tiny-32.onnx"), "--device", "cpu", .. options], stdout, stderr);
        Assert.NotEqual(0, exit);
        string line = stderr.ToString().Trim();
        Assert.StartsWith("error: ", line);
        return line["error: ".Length..].Replace(photoPath, photoName).Replace(maskPath, maskName);
    }

    public static TheoryData<string, byte[], string, byte[]> BadFiles()
    {
        byte[] photo = TestImages.PhotoPng(W, H), mask = TestImages.MaskPng(W, H, TestImages.Square(4, 4, 8));
        return new()
        {
            { "notes.png", Encoding.UTF8.GetBytes("these are notes, not a photo"), "mask.png", mask },
            { "empty.png", [], "mask.png", mask },
            { "half.png", photo[..(photo.Length / 2)], "mask.png", mask },
            { "photo.png", photo, "mask.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3] },
            { "photo.png", photo, "mask.gif", Encoding.ASCII.GetBytes("GIF89a....") },
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_damaged_or_foreign_file_is_400_with_the_clis_message(string photoName, byte[] photo, string maskName, byte[] mask)
    {
        var (status, detail) = await Refusal(Http.Form(photo, mask, photoName, maskName));
        Assert.Equal(400, status);
        Assert.Equal(CliError(photo, photoName, mask, maskName), detail);
    }

    [Fact]
    public async Task A_photo_over_the_pixel_limit_is_413_with_the_clis_message()
    {
        byte[] photo = TestImages.PhotoPng(200, 60), mask = TestImages.MaskPng(200, 60, TestImages.Square(4, 4, 8));
        var (status, detail) = await Refusal(Http.Form(photo, mask, "wide.png"));
        Assert.Equal(413, status);
        Assert.Equal("'wide.png' is 200x60, above the limit of 10,000 pixels", detail);
        Assert.Equal(CliError(photo, "wide.png", mask, "mask.png", "--max-pixels", "10000"), detail);
    }

    [Fact]
    public async Task A_mask_over_the_pixel_limit_is_413()
    {
        var (status, detail) = await Refusal(Http.Form(TestImages.PhotoPng(W, H), TestImages.MaskPng(120, 100, (_, _) => true)));
        Assert.Equal(413, status);
        Assert.Contains("'mask.png' is 120x100, above the limit", detail);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        var noise = new byte[300_000];
        new Random(1).NextBytes(noise);
        var (status, detail) = await Refusal(Http.Form(noise, TestImages.MaskPng(W, H, (_, _) => true)));
        Assert.Equal(413, status);
        Assert.Equal("the request is larger than the limit of 200,000 bytes", detail);
    }

    [Fact]
    public async Task A_mask_of_another_size_is_400_with_the_clis_message_and_the_forms_field()
    {
        byte[] photo = TestImages.PhotoPng(W, H), mask = TestImages.MaskPng(32, 24, (_, _) => true);
        var (status, detail) = await Refusal(Http.Form(photo, mask));
        Assert.Equal(400, status);
        Assert.Equal("the mask is 32x24 but the photo is 64x48 (send resizeMask=true to scale it)", detail);
        string cli = CliError(photo, "photo.png", mask, "mask.png");
        Assert.Equal(cli[..cli.IndexOf(" (", StringComparison.Ordinal)], detail[..detail.IndexOf(" (", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task Grow_out_of_range_is_400_with_the_clis_range_message()
    {
        var (status, detail) = await Refusal(Http.Form(TestImages.PhotoPng(W, H), TestImages.MaskPng(W, H, (_, _) => true), fields: ("grow", "300")));
        Assert.Equal(400, status);
        Assert.Equal("grow must be between 0 and 256; got 300", detail);
        // The CLI says the same of its option (a usage error there, exit 2).
        var stderr = new StringWriter();
        InpaintCli.Run(["repair", "p.png", "--mask", "m.png", "-o", "o.png", "--grow", "300"], new StringWriter(), stderr);
        Assert.StartsWith("error: --" + detail, stderr.ToString());
    }

    [Theory]
    [InlineData("grow", "wide", "grow must be a whole number between 0 and 256; got 'wide'")]
    [InlineData("grow", "-1", "grow must be between 0 and 256; got -1")]
    [InlineData("format", "gif", "format must be png, jpeg, webp, bmp or tiff; got 'gif'")]
    [InlineData("invert", "maybe", "invert must be true or false; got 'maybe'")]
    [InlineData("resizeMask", "sometimes", "resizeMask must be true or false; got 'sometimes'")]
    public async Task A_bad_field_is_400_naming_it(string field, string value, string message)
    {
        var (status, detail) = await Refusal(Http.Form(TestImages.PhotoPng(W, H), TestImages.MaskPng(W, H, (_, _) => true), fields: (field, value)));
        Assert.Equal(400, status);
        Assert.Equal(message, detail);
    }

    [Fact]
    public async Task A_mask_over_most_of_the_photo_is_400_unless_allowed_and_the_cli_says_the_same()
    {
        // 48 of 64 columns: 75 % holes, the usual sign of an inverted mask.
        byte[] photo = TestImages.PhotoPng(W, H), mask = TestImages.MaskPng(W, H, (x, _) => x >= 16);
        var (status, detail) = await Refusal(Http.Form(photo, mask));
        Assert.Equal(400, status);
        Assert.Equal("the mask marks 75.0 % of the photo as holes, more than 60 % (white = repair): if white marks what to keep, send invert=true; " +
                     "to repair it anyway, allowLargeHoles=true", detail);
        string cli = CliError(photo, "photo.png", mask, "mask.png");
        Assert.Equal(detail[..detail.IndexOf(':')], cli[..cli.IndexOf(':')]);
        Assert.EndsWith("--allow-large-holes", cli);
        using var client = server.CreateClient();
        using var allowed = await client.PostAsync("/v1/repair", Http.Form(photo, mask, fields: ("allowLargeHoles", "true")));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var inverted = await client.PostAsync("/v1/repair", Http.Form(photo, mask, fields: ("invert", "true")));
        Assert.Equal(HttpStatusCode.OK, inverted.StatusCode);
    }

    [Fact]
    public async Task A_mask_with_no_known_pixel_is_400_even_when_large_holes_are_allowed()
    {
        byte[] photo = TestImages.PhotoPng(W, H), white = TestImages.MaskPng(W, H, (_, _) => true);
        var (status, detail) = await Refusal(Http.Form(photo, white, fields: ("allowLargeHoles", "true")));
        Assert.Equal(400, status);
        Assert.Equal("the mask marks every pixel of the photo as a hole: no known pixel is left to repair from (if white marks what to keep, send invert=true)", detail);
        Assert.StartsWith("the mask marks every pixel of the photo as a hole", CliError(photo, "photo.png", white, "mask.png", "--allow-large-holes"));
    }

    [Fact]
    public async Task A_form_with_two_photos_or_two_masks_is_400()
    {
        byte[] photo = TestImages.PhotoPng(W, H), mask = TestImages.MaskPng(W, H, TestImages.Square(4, 4, 8));
        var twoPhotos = Http.Form(photo, mask);
        twoPhotos.Add(new ByteArrayContent(photo), "image", "second.png");
        Assert.Equal((400, "the form has 2 'image' files; send one (the photo)"), await Refusal(twoPhotos));
        var twoMasks = Http.Form(photo, mask);
        twoMasks.Add(new ByteArrayContent(mask), "mask", "second.png");
        Assert.Equal((400, "the form has 2 'mask' files; send one (the mask, white = repair; or send auto=true to find the damage)"), await Refusal(twoMasks));
    }

    [Fact]
    public async Task A_form_without_the_photo_or_the_mask_is_400()
    {
        byte[] photo = TestImages.PhotoPng(W, H), mask = TestImages.MaskPng(W, H, (_, _) => true);
        Assert.Equal((400, "the form has no 'image' file (the photo)"), await Refusal(Http.Form(null, mask)));
        Assert.Equal((400, "the form has no 'mask' file (the mask, white = repair; or send auto=true to find the damage)"), await Refusal(Http.Form(photo, null)));
        var textMask = Http.Form(photo, null, fields: ("mask", "white"));
        Assert.Equal((400, "'mask' must be a file (the mask, white = repair; or send auto=true to find the damage), not a text field"), await Refusal(textMask));
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_refused_with_one_line()
    {
        const string line = RepairForm.NotAForm;
        Assert.Equal((415, line), await Refusal(new StringContent("{\"image\": 1}", Encoding.UTF8, "application/json")));
        Assert.Equal((415, line), await Refusal(new FormUrlEncodedContent([new("image", "photo")])));
        var broken = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc", Encoding.UTF8);
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var (brokenStatus, brokenDetail) = await Refusal(broken);
        Assert.Equal(400, brokenStatus);
        Assert.Equal("the form cannot be read: it ends before its closing boundary", brokenDetail);
    }
}
