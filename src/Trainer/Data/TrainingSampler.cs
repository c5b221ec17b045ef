using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Inpaint.Trainer.Masks;

namespace Inpaint.Trainer.Data;

/// <summary>What a training sample is made of, apart from the photos.</summary>
public sealed record SamplerOptions
{
    /// <summary>Crop side (the generator's input size).</summary>
    public int ImageSize { get; init; } = 128;

    /// <summary>Smallest random shorter-side size before cropping.</summary>
    public int MinScale { get; init; } = 128;

    /// <summary>Largest random shorter-side size before cropping (Pathak's loadSize is 350).</summary>
    public int MaxScale { get; init; } = 384;

    /// <summary>Whether to mirror half the crops left-right.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>Where the hole goes.</summary>
    public MaskMode Mask { get; init; } = MaskMode.Square;

    /// <summary>Hole side.</summary>
    public int HoleSize { get; init; } = 64;

    /// <summary>Seed of the data order, crops, flips and holes.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Makes training sample number g (counted from the start of the run) as a pure function of the seed and g:
/// the epoch's permutation of photos, the scale, crop, flip and hole position all come from generators seeded
/// by (seed, g). Any worker can make any sample, and a resumed run sees exactly the data it would have seen.
/// </summary>
public sealed class TrainingSampler
{
    private readonly IReadOnlyList<PhotoEntry> photos;
    private readonly PhotoCache cache;
    private readonly SamplerOptions options;
    private readonly Dictionary<long, int[]> permutations = new();
    private readonly HashSet<string> badPhotos = new();
    private readonly Action<string>? warn;
    private readonly object gate = new();

    /// <summary>Creates a sampler over the training photos.</summary>
    public TrainingSampler(IReadOnlyList<PhotoEntry> photos, PhotoCache cache, SamplerOptions options, Action<string>? warn = null)
    {
        if (photos.Count == 0) throw new ArgumentException("no photos to sample from", nameof(photos));
        if (options.MinScale < options.ImageSize || options.MaxScale < options.MinScale)
            throw new ArgumentException($"scales must satisfy image size <= min <= max (got {options.ImageSize}, {options.MinScale}, {options.MaxScale})");
        this.photos = photos;
        this.cache = cache;
        this.options = options;
        this.warn = warn;
    }

    /// <summary>The options.</summary>
    public SamplerOptions Options => options;

    /// <summary>Photos in one epoch.</summary>
    public int EpochLength => photos.Count;

    /// <summary>How many photos failed to decode so far (each is skipped from then on).</summary>
    public int BadPhotoCount { get { lock (gate) return badPhotos.Count; } }

    /// <summary>
    /// Writes sample <paramref name="index"/> as 3xSxS floats in [-1, 1] into <paramref name="image"/> and returns
    /// the hole's top-left corner.
    /// </summary>
    /// <exception cref="InvalidDataException">Every photo failed to decode.</exception>
    public (int X, int Y) Fill(long index, Span<float> image)
    {
        var rng = new Random(SampleSeed(options.Seed, index));
        int[] order = Permutation(index / photos.Count);
        int position = (int)(index % photos.Count);
        for (int attempt = 0; attempt < photos.Count; attempt++)
        {
            PhotoEntry photo = photos[order[(position + attempt) % photos.Count]];
            lock (gate) if (badPhotos.Contains(photo.Path)) continue;
            Image<Rgb24> source;
            bool owned;
            try
            {
                source = cache.Get(photo, out owned);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                bool first;
                lock (gate) first = badPhotos.Add(photo.Path);
                if (first) warn?.Invoke($"skipping {photo.Path} from now on: {e.Message}");
                continue;
            }
            try
            {
                Crop(source, rng, image);
            }
            finally
            {
                if (owned) source.Dispose();
            }
            return HoleMask.Place(options.Mask, options.ImageSize, options.HoleSize, rng);
        }
        throw new InvalidDataException("every training photo failed to decode");
    }

    private void Crop(Image<Rgb24> source, Random rng, Span<float> destination)
    {
        int size = options.ImageSize;
        int scale = rng.Next(options.MinScale, options.MaxScale + 1);
        // Crop in the cached image's coordinates the window that, after resizing its shorter side to `scale`,
        // would be a size x size crop; then resize just that window.
        double factor = (double)Math.Min(source.Width, source.Height) / scale;
        int window = Math.Clamp((int)Math.Round(size * factor), 1, Math.Min(source.Width, source.Height));
        int x = rng.Next(source.Width - window + 1);
        int y = rng.Next(source.Height - window + 1);
        bool mirror = options.Flip && rng.Next(2) == 1;
        using Image<Rgb24> crop = source.Clone(c => c.Crop(new Rectangle(x, y, window, window)).Resize(size, size, KnownResamplers.Bicubic));
        PixelConversion.ToPlanar(crop, destination, mirror);
    }

    private int[] Permutation(long epoch)
    {
        lock (gate)
        {
            if (permutations.TryGetValue(epoch, out var cached)) return cached;
            var order = Enumerable.Range(0, photos.Count).ToArray();
            new Random(SampleSeed(options.Seed ^ 0x5eed, -1 - epoch)).Shuffle(order);
            if (permutations.Count > 4) permutations.Clear(); // only the current and next epochs are in use
            permutations[epoch] = order;
            return order;
        }
    }

    /// <summary>SplitMix64 of (seed, index), folded to an int for <see cref="Random"/>.</summary>
    internal static int SampleSeed(int seed, long index)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
