using Inpaint.OnnxInpaint.AspNetCore;
using System.Net;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Server.Tests;

/// <summary>POST /v1/repair answering repaired photos: formats, mask rules, known pixels untouched.</summary>
public sealed class RepairEndpointTests : IDisposable
{
    private const int W = 64, H = 48;
    private readonly ServerFactory server = new();

    public void Dispose() => server.Dispose();

    private async Task<HttpResponseMessage> Post(byte[] image, byte[] mask, string imageName = "photo.png", params (string, string)[] fields)
    {
        using var client = server.CreateClient();
        return await client.PostAsync("/v1/repair", Http.Form(image, mask, imageName, "mask.png", fields));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("tiff")]
    public async Task A_16_bit_photo_comes_back_at_16_bits_with_its_known_samples(string format)
    {
        using var photo16 = new Image<Rgba64>(W, H);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                photo16[x, y] = new Rgba64((ushort)(x * 1009 + y * 17), (ushort)(y * 1301 + x * 7), (ushort)((x ^ y) * 911), 65535);
        using var upload = new MemoryStream();
        photo16.SaveAsPng(upload, new SixLabors.ImageSharp.Formats.Png.PngEncoder { BitDepth = SixLabors.ImageSharp.Formats.Png.PngBitDepth.Bit16 });
        var hole = TestImages.Square(30, 10, 6);
        using var response = await Post(upload.ToArray(), TestImages.MaskPng(W, H, hole), "scan.png", ("format", format));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var after = Image.Load<Rgba64>(await response.Content.ReadAsByteArrayAsync());
        int bits = format == "png" ? (after.Metadata.GetPngMetadata().BitDepth == SixLabors.ImageSharp.Formats.Png.PngBitDepth.Bit16 ? 16 : 8)
            : after.Frames.RootFrame.Metadata.GetTiffMetadata().BitsPerSample!.Value.Channel0;
        Assert.Equal(16, bits);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                if (!hole(x, y)) Assert.Equal(photo16[x, y], after[x, y]);
    }

    [Fact]
    public async Task Repairs_a_png_and_changes_only_hole_pixels()
    {
        byte[] photo = TestImages.PhotoPng(W, H);
        var hole = TestImages.Square(20, 16, 8);
        using var response = await Post(photo, TestImages.MaskPng(W, H, hole));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("64", response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
        Assert.Contains("repair;dur=", response.Headers.GetValues("Server-Timing").Single());
        using var before = TestImages.Decode(photo);
        using var after = TestImages.Decode(await response.Content.ReadAsByteArrayAsync());
        var changed = TestImages.Differences(before, after);
        Assert.NotEmpty(changed);
        Assert.All(changed, p => Assert.True(hole(p.X, p.Y), $"known pixel {p} changed"));
    }

    [Fact]
    public async Task Variants_come_as_a_multipart_form_of_different_fills_that_keep_every_known_pixel()
    {
        const int w = 160, h = 120;
        byte[] photo = TestImages.PhotoPng(w, h, seed: 3);
        var hole = TestImages.Square(50, 40, 40);
        using var response = await Post(photo, TestImages.MaskPng(w, h, hole), "photo.png", ("variants", "2"), ("fill", "texture"), ("seed", "4"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("multipart/form-data", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2", response.Headers.GetValues("X-Inpaint-Variants").Single());
        Assert.Equal("1", response.Headers.GetValues("X-Inpaint-Texture-Regions").Single());
        string boundary = response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!;
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, await response.Content.ReadAsStreamAsync());
        var parts = new List<(string Name, byte[] Bytes)>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            using var bytes = new MemoryStream();
            await section.Body.CopyToAsync(bytes);
            string name = System.Net.Http.Headers.ContentDispositionHeaderValue.Parse(section.ContentDisposition!).Name!.Trim('"');
            parts.Add((name, bytes.ToArray()));
        }
        Assert.Equal(["variant-1", "variant-2"], parts.Select(p => p.Name).ToArray());
        using var before = TestImages.Decode(photo);
        using var first = TestImages.Decode(parts[0].Bytes);
        using var second = TestImages.Decode(parts[1].Bytes);
        Assert.All(TestImages.Differences(before, first), p => Assert.True(hole(p.X, p.Y), $"known pixel {p} changed"));
        Assert.All(TestImages.Differences(before, second), p => Assert.True(hole(p.X, p.Y), $"known pixel {p} changed"));
        Assert.NotEmpty(TestImages.Differences(first, second));
    }

    [Theory]
    [InlineData("variants", "9", "variants must be between 1 and 4; got 9")]
    [InlineData("variants", "0", "variants must be between 1 and 16; got 0")]
    [InlineData("fill", "blurry", "fill must be one of auto, smooth, texture; got 'blurry'")]
    [InlineData("seed", "-3", "seed must be between 0 and")]
    public async Task Fill_seed_and_variants_out_of_range_are_refused_with_the_reason(string field, string value, string reason)
    {
        byte[] photo = TestImages.PhotoPng(W, H);
        using var response = await Post(photo, TestImages.MaskPng(W, H, TestImages.Square(20, 16, 8)), "photo.png", (field, value));
        var (status, detail) = await Http.Problem(response);
        Assert.Equal(400, status);
        Assert.Contains(reason, detail);
    }

    [Theory]
    [InlineData("webp", "image/webp")]
    [InlineData("png", "image/png")]
    [InlineData("jpeg", "image/jpeg")]
    [InlineData("bmp", "image/bmp")]
    [InlineData("tiff", "image/tiff")]
    public async Task Answers_in_the_format_asked_for(string format, string contentType)
    {
        byte[] photo = TestImages.PhotoPng(W, H);
        var hole = TestImages.Square(30, 10, 6);
        using var response = await Post(photo, TestImages.MaskPng(W, H, hole), "photo.png", ("format", format));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        using var before = TestImages.Decode(photo);
        using var after = TestImages.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(before.Size(), after.Size());
        if (format != "jpeg") Assert.All(TestImages.Differences(before, after), p => Assert.True(hole(p.X, p.Y), $"known pixel {p} changed"));
    }

    [Fact]
    public async Task Answers_a_jpeg_photo_with_a_jpeg()
    {
        using var image = TestImages.Photo(W, H);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg);
        using var response = await Post(jpeg.ToArray(), TestImages.MaskPng(W, H, TestImages.Square(10, 10, 8)), "photo.jpg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(new string[0], 64)]
    [InlineData(new[] { "grow", "2" }, 144)]
    [InlineData(new[] { "invert", "true", "allowLargeHoles", "true" }, W * H - 64)] // inverted, nearly all holes: allowed explicitly
    [InlineData(new[] { "invert", "false", "grow", "0" }, 64)]
    public async Task Invert_and_grow_follow_the_cli_rules(string[] field, int holePixels)
    {
        var fields = field.Chunk(2).Select(f => (f[0], f[1])).ToArray();
        using var response = await Post(TestImages.PhotoPng(W, H), TestImages.MaskPng(W, H, TestImages.Square(20, 16, 8)), "photo.png", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(holePixels.ToString(), response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
    }

    [Fact]
    public async Task A_mask_with_transparency_marks_holes_by_alpha()
    {
        var hole = TestImages.Square(8, 8, 10);
        using var mask = new Image<Rgba32>(W, H);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                mask[x, y] = new Rgba32(0, 0, 0, hole(x, y) ? (byte)0 : (byte)255);
        using var response = await Post(TestImages.PhotoPng(W, H), TestImages.Png(mask));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("100", response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
    }

    [Fact]
    public async Task A_mask_of_another_size_is_scaled_when_asked()
    {
        byte[] half = TestImages.MaskPng(W / 2, H / 2, TestImages.Square(10, 8, 4));
        using var response = await Post(TestImages.PhotoPng(W, H), half, "photo.png", ("resizeMask", "true"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("64", response.Headers.GetValues("X-Inpaint-Hole-Pixels").Single());
    }

    [Fact]
    public async Task An_all_black_mask_gives_the_photo_back()
    {
        byte[] photo = TestImages.PhotoPng(W, H);
        using var response = await Post(photo, TestImages.MaskPng(W, H, (_, _) => false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var before = TestImages.Decode(photo);
        using var after = TestImages.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(TestImages.Differences(before, after));
    }
}
