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

    /// <summary>How photos are drawn: each once per epoch, or weighted by group (see <see cref="PhotoWeighting"/>).</summary>
    public PhotoWeighting Weighting { get; init; } = PhotoWeighting.Uniform;
}

/// <summary>How the sampler draws photos.</summary>
public enum PhotoWeighting
{
    /// <summary>Every photo once per epoch, in a seeded random order.</summary>
    Uniform,

    /// <summary>
    /// Photos are grouped by the first folder of their path below the data folder (a Debian package, a data set);
    /// a photo in a group of n is drawn with weight 1/sqrt(n), so a group's share grows with the square root of its
    /// size: 40 underwater photos weigh as much as 6.3 photos of a group of one, not 40. Draws are independent.
    /// </summary>
    SqrtGroup,
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
    private readonly double[]? cumulativeWeights;

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
        if (options.Weighting == PhotoWeighting.SqrtGroup)
        {
            var groupSizes = photos.GroupBy(Group).ToDictionary(g => g.Key, g => g.Count());
            cumulativeWeights = new double[photos.Count];
            double total = 0;
            for (int i = 0; i < photos.Count; i++) cumulativeWeights[i] = total += 1 / Math.Sqrt(groupSizes[Group(photos[i])]);
        }
    }

    /// <summary>A photo's group: the first folder of its relative path (or the photo itself at the top level).</summary>
    public static string Group(PhotoEntry photo)
    {
        int slash = photo.RelativePath.IndexOf('/');
        return slash < 0 ? photo.RelativePath : photo.RelativePath[..slash];
    }

    /// <summary>Each photo's probability of being drawn (for the docs and tests).</summary>
    public IReadOnlyList<double> DrawProbabilities()
    {
        if (cumulativeWeights is null) return Enumerable.Repeat(1.0 / photos.Count, photos.Count).ToList();
        double total = cumulativeWeights[^1];
        return cumulativeWeights.Select((c, i) => (c - (i == 0 ? 0 : cumulativeWeights[i - 1])) / total).ToList();
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
        Random rng = Crop(index, image);
        return HoleMask.Place(options.Mask, options.ImageSize, options.HoleSize, rng);
    }

    /// <summary>
    /// Writes the crop of sample <paramref name="index"/> as 3xSxS floats in [-1, 1] into <paramref name="image"/> and
    /// returns the sample's random generator, positioned after the crop, for whatever else the sample draws (its hole).
    /// </summary>
    /// <exception cref="InvalidDataException">Every photo failed to decode.</exception>
    public Random Crop(long index, Span<float> image) => Crop(index, image, out _);

    /// <summary>
    /// <see cref="Crop(long, Span{float})"/>, and where the crop lies in the photo resized to the scale it was cropped
    /// at (<paramref name="window"/>), for data that is sized by the photo rather than by the crop.
    /// </summary>
    /// <exception cref="InvalidDataException">Every photo failed to decode.</exception>
    public Random Crop(long index, Span<float> image, out CropWindow window)
    {
        var rng = new Random(SampleSeed(options.Seed, index));
        int[]? order = cumulativeWeights is null ? Permutation(index / photos.Count) : null;
        int position = order is null ? Draw(rng) : (int)(index % photos.Count);
        for (int attempt = 0; attempt < photos.Count; attempt++)
        {
            PhotoEntry photo = photos[order is null ? (position + attempt) % photos.Count : order[(position + attempt) % photos.Count]];
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
                if (first) warn?.Invoke($"{e.Message}; skipped from now on"); // the decoder's messages name the file
                continue;
            }
            try
            {
                window = CropFrom(source, rng, image);
            }
            finally
            {
                if (owned) source.Dispose();
            }
            return rng;
        }
        throw new InvalidDataException("every training photo failed to decode");
    }

    private int Draw(Random rng)
    {
        double r = rng.NextDouble() * cumulativeWeights![^1];
        int i = Array.BinarySearch(cumulativeWeights, r);
        return Math.Min(i < 0 ? ~i : i + 1, photos.Count - 1);
    }

    private CropWindow CropFrom(Image<Rgb24> source, Random rng, Span<float> destination)
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
        int photoWidth = Math.Max(size, (int)Math.Round(source.Width / factor)), photoHeight = Math.Max(size, (int)Math.Round(source.Height / factor));
        int left = Math.Clamp((int)Math.Round(x / factor), 0, photoWidth - size), top = Math.Clamp((int)Math.Round(y / factor), 0, photoHeight - size);
        return new CropWindow(photoWidth, photoHeight, mirror ? photoWidth - size - left : left, top, size);
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
