using System.Globalization;
using System.Numerics;

namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>
/// Reading the endpoints' multipart forms: the body counted against the limit, files, flags and numbers bound to their
/// <see cref="Setting{T}"/>, every refusal a <see cref="RequestProblem"/> in the CLI's words.
/// </summary>
internal static class FormFields
{
    /// <summary>Reads the multipart form, counting bytes against <paramref name="maxBodyBytes"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="maxBodyBytes">The largest body allowed.</param>
    /// <param name="notAForm">The line for a body that is not a multipart form (what to send instead).</param>
    /// <param name="cancellation">Fires when the client goes away.</param>
    /// <exception cref="RequestProblem">400 for a bad form, 408 for a body that arrives too slowly, 413 for a body over the limit.</exception>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, long maxBodyBytes, string notAForm, CancellationToken cancellation)
    {
        if (!request.HasFormContentType || !(request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? false))
            throw new RequestProblem(400, notAForm);
        if (request.ContentLength > maxBodyBytes) throw TooLarge(maxBodyBytes);
        request.Body = new LimitedStream(request.Body, maxBodyBytes);
        try
        {
            return await request.ReadFormAsync(cancellation);
        }
        catch (LimitedStream.LimitExceededException)
        {
            throw TooLarge(maxBodyBytes);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBodyBytes); // Kestrel's own count
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's minimum body data rate (240 bytes/s after a grace period of 5 s by default).
            throw new RequestProblem(408, "the request body arrived too slowly; send it again at a steady rate");
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(maxBodyBytes); // the form reader's limits
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            throw new RequestProblem(400, $"the form cannot be read: {e.Message}");
        }
        catch (IOException e) when (!cancellation.IsCancellationRequested)
        {
            // The multipart reader's words for a body cut short mention "another component"; say what happened.
            throw new RequestProblem(400, e.Message.StartsWith("Unexpected end of Stream", StringComparison.Ordinal)
                ? "the form cannot be read: it ends before its closing boundary"
                : $"the form cannot be read: {e.Message}");
        }
    }

    /// <summary>Whether the form has a file, or a text field that is not blank, named <paramref name="field"/> (an empty file input sends a blank field).</summary>
    public static bool Has(IFormCollection form, string field) => form.Files.GetFiles(field).Count > 0 || Text(form, field) is not null;

    /// <summary>The one file <paramref name="field"/>, its bytes and the name messages use for it.</summary>
    /// <exception cref="RequestProblem">400: no such file, several, or a text field of that name.</exception>
    public static async Task<(byte[] Bytes, string Name)> FileAsync(IFormCollection form, string field, string what, CancellationToken cancellation)
    {
        int count = form.Files.GetFiles(field).Count;
        if (count > 1) throw new RequestProblem(400, $"the form has {count} '{field}' files; send one ({what})");
        IFormFile file = form.Files.GetFile(field)
                         ?? throw new RequestProblem(400, form.ContainsKey(field)
                             ? $"'{field}' must be a file ({what}), not a text field"
                             : $"the form has no '{field}' file ({what})");
        // Messages name the file as the CLI names its path; names are the client's, so only the last part, shortened.
        string name = Path.GetFileName(file.FileName.Replace('\\', '/'));
        name = string.IsNullOrWhiteSpace(name) ? field : Shorten(name);
        using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await using (Stream stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, cancellation);
        return (buffer.ToArray(), name);
    }

    /// <summary>A text field's first value; null when it is missing or blank.</summary>
    public static string? Text(IFormCollection form, string field) =>
        form.TryGetValue(field, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    /// <summary>A true/false field; missing is false.</summary>
    public static bool Flag(IFormCollection form, string field) => Text(form, field)?.Trim().ToLowerInvariant() switch
    {
        null or "false" or "0" or "off" or "no" => false,
        "true" or "1" or "on" or "yes" => true,
        string other => throw new RequestProblem(400, $"{field} must be true or false; got '{Shorten(other)}'"),
    };

    /// <summary>A number field named as its setting; missing is the setting's default, out of range the CLI's line with the field's name.</summary>
    public static T Number<T>(IFormCollection form, Setting<T> setting) where T : struct, INumber<T>, IFormattable
    {
        string field = setting.Name;
        if (Text(form, field) is not { } text) return setting.Default;
        bool whole = typeof(T) == typeof(int) || typeof(T) == typeof(long);
        if (!T.TryParse(text.Trim(), whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out T value))
            throw new RequestProblem(400, $"{field} must be {(whole ? "a whole number" : "a number")} between {Setting<T>.Format(setting.Min)} and " +
                                          $"{Setting<T>.Format(setting.Max)}; got '{Shorten(text)}'");
        return setting.Check(value, field) is { } problem ? throw new RequestProblem(400, problem) : value;
    }

    /// <summary>Client text as messages quote it: at most 80 characters.</summary>
    public static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static RequestProblem TooLarge(long max) =>
        new(413, string.Create(CultureInfo.InvariantCulture, $"the request is larger than the limit of {max:N0} bytes"));

    /// <summary>Reads through to the inner stream and throws once more than the limit has been read.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long read;

        public sealed class LimitExceededException() : IOException("the request body is over the limit");

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            read += n;
            if (read > limit) throw new LimitExceededException();
            return n;
        }
    }
}
