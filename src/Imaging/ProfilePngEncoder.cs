using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Imaging;

/// <summary>ImageSharp's PNG encoder, plus the image's ICC profile as an iCCP chunk (<see cref="PngColorProfile"/>), which it leaves out.</summary>
internal sealed class ProfilePngEncoder(PngEncoder png) : IImageEncoder
{
    /// <inheritdoc/>
    public void Encode<TPixel>(Image<TPixel> image, Stream stream)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        byte[]? profile = image.Metadata.IccProfile?.ToByteArray();
        if (profile is null)
        {
            png.Encode(image, stream);
            return;
        }
        using var encoded = new MemoryStream();
        png.Encode(image, encoded);
        stream.Write(PngColorProfile.Insert(encoded.GetBuffer().AsSpan(0, (int)encoded.Length), profile));
    }

    /// <inheritdoc/>
    public Task EncodeAsync<TPixel>(Image<TPixel> image, Stream stream, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Encode(image, stream);
        return Task.CompletedTask;
    }
}
