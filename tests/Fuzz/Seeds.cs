using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace Inpaint.Fuzz;

/// <summary>A valid file to mutate.</summary>
internal sealed record Seed(string Name, string Format, byte[] Bytes);

/// <summary>
/// Valid seed files in the five formats (TIFF and 16-bit PNG from ImageSharp and PhotoFile), from two encoders (ImageSharp and Skia's libpng, libjpeg-turbo and
/// libwebp) so both decoders meet files they did not write: small crops of the repository's samples, a photo with
/// a translucent alpha channel, a mask, and any files in an extra folder (e.g. Pillow-made JPEGs).
/// </summary>
internal static class Seeds
{
    public static List<Seed> Make(string repoRoot, string? extraFolder, int side)
    {
        var seeds = new List<Seed>();
        using var photo = Image.Load<Rgba32>(Path.Combine(repoRoot, "samples", "scratches.png"));
        photo.Mutate(x => x.Crop(new Rectangle(200, 100, side, side * 3 / 4)));
        using var translucent = photo.Clone();
        translucent.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                foreach (ref Rgba32 p in rows.GetRowSpan(y)) p.A = (byte)(y * 255 / rows.Height);
        });
        using var mask = Image.Load<Rgba32>(Path.Combine(repoRoot, "samples", "scratches-mask.png"));
        mask.Mutate(x => x.Crop(new Rectangle(200, 100, side, side * 3 / 4)));

        foreach (var (label, image) in new[] { ("photo", photo), ("alpha", translucent), ("mask", mask) })
        {
            Add(seeds, $"{label}-is.png", "png", image, new PngEncoder());
            Add(seeds, $"{label}-is.jpg", "jpeg", image, new JpegEncoder { Quality = 90 });
            Add(seeds, $"{label}-is.bmp", "bmp", image, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 });
            Add(seeds, $"{label}-is24.bmp", "bmp", image, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });
            Add(seeds, $"{label}-is-lossless.webp", "webp", image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
            Add(seeds, $"{label}-is-lossy.webp", "webp", image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 80 });
            using SKBitmap bitmap = ToSkia(image);
            seeds.Add(new Seed($"{label}-skia.png", "png", bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray()));
            seeds.Add(new Seed($"{label}-skia.jpg", "jpeg", bitmap.Encode(SKEncodedImageFormat.Jpeg, 85).ToArray()));
            seeds.Add(new Seed($"{label}-skia.webp", "webp", bitmap.Encode(SKEncodedImageFormat.Webp, 80).ToArray()));
            Add(seeds, $"{label}-is-lzw.tif", "tiff", image, new TiffEncoder { Compression = TiffCompression.Lzw });
            Add(seeds, $"{label}-is16.png", "png", image, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });
            seeds.Add(new Seed($"{label}-photofile16.tif", "tiff", SixteenBitTiff(image)));
        }
        if (extraFolder is not null && Directory.Exists(extraFolder))
            foreach (string file in Directory.EnumerateFiles(extraFolder).Order(StringComparer.Ordinal))
            {
                byte[] bytes = File.ReadAllBytes(file);
                string format = Path.GetExtension(file).TrimStart('.').ToLowerInvariant().Replace("jpg", "jpeg");
                seeds.Add(new Seed(Path.GetFileName(file), format, bytes));
            }
        return seeds;
    }

    private static void Add(List<Seed> seeds, string name, string format, Image<Rgba32> image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        seeds.Add(new Seed(name, format, stream.ToArray()));
    }

    /// <summary>The image as PhotoFile writes a 16-bit TIFF (its own writer: ImageSharp 2.1 writes 8-bit TIFF only).</summary>
    private static byte[] SixteenBitTiff(Image<Rgba32> image)
    {
        using var png = new MemoryStream();
        image.Save(png, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });
        png.Position = 0;
        var files = new PhotoFile();
        using Photo photo = files.Open(png);
        using var tiff = new MemoryStream();
        files.Save(photo.Pixels, photo, tiff, ".tif");
        return tiff.ToArray();
    }

    private static SKBitmap ToSkia(Image<Rgba32> image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(pixels);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }
}
