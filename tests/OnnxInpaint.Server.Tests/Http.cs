using System.Net.Http.Headers;
using System.Text.Json;

namespace Inpaint.Server.Tests;

/// <summary>Builds repair requests and reads problem details.</summary>
internal static class Http
{
    public static MultipartFormDataContent Form(byte[]? image, byte[]? mask, string imageName = "photo.png", string maskName = "mask.png",
        params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (image is not null) form.Add(File(image), "image", imageName);
        if (mask is not null) form.Add(File(mask), "mask", maskName);
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    private static ByteArrayContent File(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>The problem's status and detail, checking it is RFC 7807 JSON with the same status as the response.</summary>
    public static async Task<(int Status, string Detail)> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        int status = json.RootElement.GetProperty("status").GetInt32();
        Assert.Equal((int)response.StatusCode, status);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("title").GetString()));
        string detail = json.RootElement.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("\n", detail); // one line
        Assert.DoesNotContain("   at ", detail); // never a stack trace
        return (status, detail);
    }
}
