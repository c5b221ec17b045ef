using System.Globalization;
using Inpaint.OnnxInpaint.AspNetCore;

namespace Inpaint.Server;

/// <summary>The fields of <c>POST /v1/repair</c>, read and checked.</summary>
/// <param name="Image">The photo's bytes.</param>
/// <param name="ImageName">The name messages use for it (the uploaded file name, else "image").</param>
/// <param name="Mask">The mask's bytes.</param>
/// <param name="MaskName">The name messages use for it.</param>
/// <param name="Invert">Black = repair instead (the CLI's --invert-mask).</param>
/// <param name="ResizeMask">Scale a mask of another size (the CLI's --resize-mask).</param>
/// <param name="Grow">Grow the holes by this many pixels (the CLI's --grow).</param>
/// <param name="Format">The answer's format; null: the photo's.</param>
/// <param name="Request">The fill, seed and variants asked for (the CLI's --fill, --seed, --variants); unset: the service's.</param>
internal sealed record RepairForm(byte[] Image, string ImageName, byte[] Mask, string MaskName, bool Invert, bool ResizeMask, int Grow, OutputFormat? Format,
    InpaintingRequest Request)
{
    /// <summary>The line for a body that is not a multipart form (also the 415 that routing answers for other media types).</summary>
    public const string NotAForm = "send a multipart/form-data form with the files 'image' (the photo) and 'mask' (white = repair)";

    /// <summary>Reads the multipart form, counting bytes against <paramref name="maxBodyBytes"/>.</summary>
    /// <exception cref="RequestProblem">400 for a bad form or field, 413 for a body over the limit.</exception>
    public static async Task<RepairForm> ReadAsync(HttpRequest request, long maxBodyBytes, CancellationToken cancellation)
    {
        if (!request.HasFormContentType || !(request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? false))
            throw new RequestProblem(400, NotAForm);
        if (request.ContentLength > maxBodyBytes) throw TooLarge(maxBodyBytes);
        request.Body = new LimitedStream(request.Body, maxBodyBytes);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellation);
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
        (byte[] image, string imageName) = await FileAsync(form, "image", "the photo", cancellation);
        (byte[] mask, string maskName) = await FileAsync(form, "mask", "the mask, white = repair", cancellation);
        int grow = Integer(form, RepairSettings.Grow);
        OutputFormat? format = null;
        if (Text(form, "format") is { } name)
            format = ImageFormats.Parse(name) ?? throw new RequestProblem(400, $"format must be {ImageFormats.Names}; got '{Shorten(name)}'");
        return new RepairForm(image, imageName, mask, maskName, Flag(form, "invert"), Flag(form, "resizeMask"), grow, format, ReadRequest(form));
    }

    /// <summary>The fields <c>fill</c>, <c>seed</c>, <c>variants</c> and <c>allowLargeHoles</c>.</summary>
    private static InpaintingRequest ReadRequest(IFormCollection form)
    {
        FillMode? fill = null;
        if (Text(form, "fill") is { } word)
            fill = FillModes.TryParse(word, out FillMode mode) ? mode : throw new RequestProblem(400, $"fill must be one of {FillModes.Words}; got '{Shorten(word)}'");
        int? seed = Text(form, RepairSettings.Seed.Name) is null ? null : Integer(form, RepairSettings.Seed);
        return new InpaintingRequest
        {
            Fill = fill, Seed = seed, Variants = Integer(form, RepairSettings.Variants),
            AllowLargeHoles = Text(form, "allowLargeHoles") is null ? null : Flag(form, "allowLargeHoles"),
        };
    }

    private static RequestProblem TooLarge(long max) =>
        new(413, string.Create(CultureInfo.InvariantCulture, $"the request is larger than the limit of {max:N0} bytes"));

    private static async Task<(byte[] Bytes, string Name)> FileAsync(IFormCollection form, string field, string what, CancellationToken cancellation)
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

    private static string? Text(IFormCollection form, string field) =>
        form.TryGetValue(field, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    private static bool Flag(IFormCollection form, string field) => Text(form, field)?.Trim().ToLowerInvariant() switch
    {
        null or "false" or "0" or "off" or "no" => false,
        "true" or "1" or "on" or "yes" => true,
        string other => throw new RequestProblem(400, $"{field} must be true or false; got '{Shorten(other)}'"),
    };

    /// <summary>A whole-number field named as its setting; out of range, the message is the CLI's with the field's name.</summary>
    private static int Integer(IFormCollection form, Setting<int> setting)
    {
        string field = setting.Name;
        if (Text(form, field) is not { } text) return setting.Default;
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new RequestProblem(400, $"{field} must be a whole number between {Setting<int>.Format(setting.Min)} and {Setting<int>.Format(setting.Max)}; got '{Shorten(text)}'");
        return setting.Check(value, field) is { } problem ? throw new RequestProblem(400, problem) : value;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

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
