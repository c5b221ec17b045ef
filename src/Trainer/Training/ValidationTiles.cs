using Inpaint.Trainer.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Trainer.Training;

/// <summary>
/// The held-out tiles both families validate on: each photo resized so its shorter side is twice the tile,
/// centre-cropped to a square and cut into its four tiles (row by row), as planar floats in [-1, 1]. Photos that fail
/// to decode are skipped with a warning.
/// </summary>
internal static class ValidationTiles
{
    public static List<float[]> Cut(IReadOnlyList<PhotoEntry> photos, PhotoCache cache, int size, Action<string>? warn)
    {
        var tiles = new List<float[]>();
        foreach (PhotoEntry photo in photos)
        {
            Image<Rgb24> source;
            bool owned;
            try
            {
                source = cache.Get(photo, out owned);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                warn?.Invoke($"validation: {e.Message}; skipped");
                continue;
            }
            try
            {
                using Image<Rgb24> square = source.Clone(c => c.Resize(new ResizeOptions
                {
                    Size = new Size(2 * size, 2 * size), Mode = ResizeMode.Crop, Position = AnchorPositionMode.Center, Sampler = KnownResamplers.Bicubic,
                }));
                for (int t = 0; t < 4; t++)
                {
                    using Image<Rgb24> tile = square.Clone(c => c.Crop(new Rectangle(t % 2 * size, t / 2 * size, size, size)));
                    var planar = new float[3 * size * size];
                    PixelConversion.ToPlanar(tile, planar, mirror: false);
                    tiles.Add(planar);
                }
            }
            finally
            {
                if (owned) source.Dispose();
            }
        }
        return tiles;
    }
}
