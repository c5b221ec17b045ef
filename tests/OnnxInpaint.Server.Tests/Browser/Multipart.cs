using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Inpaint.Server.Tests.Browser;

/// <summary>Reads one file out of a multipart body the page sent.</summary>
internal static class Multipart
{
    public static async Task<byte[]> FileAsync(byte[] body, string contentType, string field)
    {
        string boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            if (disposition.Name.Value?.Trim('"') != field) continue;
            using var copy = new MemoryStream();
            await section.Body.CopyToAsync(copy);
            return copy.ToArray();
        }
        throw new InvalidDataException($"the form has no '{field}' part");
    }
}
