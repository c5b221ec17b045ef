using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Trainer.Data;

/// <summary>
/// Keeps decoded photos in memory, already shrunk so their shorter side is at most the largest training
/// scale, so a multi-hour run decodes each JPEG once. Photos beyond the byte budget are decoded on each use.
/// Thread-safe; images handed out are only read.
/// </summary>
public sealed class PhotoCache : IDisposable
{
    private readonly PhotoFile files;
    private readonly int maxShortSide;
    private readonly long budgetBytes;
    private readonly ConcurrentDictionary<string, Image<Rgb24>> cache = new();
    private long cachedBytes;

    /// <summary>Creates an empty cache.</summary>
    public PhotoCache(PhotoFile files, int maxShortSide, long budgetBytes = 2L << 30)
    {
        this.files = files;
        this.maxShortSide = maxShortSide;
        this.budgetBytes = budgetBytes;
    }

    /// <summary>
    /// Returns the photo shrunk to a shorter side of at most the largest scale. <paramref name="owned"/> tells
    /// whether the caller must dispose it (true when it did not fit the budget).
    /// </summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded.</exception>
    public Image<Rgb24> Get(PhotoEntry photo, out bool owned)
    {
        if (cache.TryGetValue(photo.Path, out var hit))
        {
            owned = false;
            return hit;
        }
        Image<Rgb24> image = files.ReadRgb(photo.Path);
        int shortSide = Math.Min(image.Width, image.Height);
        if (shortSide > maxShortSide)
        {
            double f = (double)maxShortSide / shortSide;
            image.Mutate(x => x.Resize(Math.Max(1, (int)Math.Round(image.Width * f)), Math.Max(1, (int)Math.Round(image.Height * f)), KnownResamplers.Bicubic));
        }
        long bytes = (long)image.Width * image.Height * 3;
        if (Interlocked.Add(ref cachedBytes, bytes) <= budgetBytes && cache.TryAdd(photo.Path, image))
        {
            owned = false;
            return image;
        }
        Interlocked.Add(ref cachedBytes, -bytes);
        if (cache.TryGetValue(photo.Path, out hit))
        {
            image.Dispose(); // another worker cached it first
            owned = false;
            return hit;
        }
        owned = true;
        return image;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var image in cache.Values) image.Dispose();
        cache.Clear();
    }
}
