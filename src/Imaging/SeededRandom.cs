namespace Inpaint.Imaging;

/// <summary>The independent random streams of the realism measures: centre draws and directions never share a sequence.</summary>
internal enum RandomStream
{
    /// <summary>Patch centre draws, keyed by the tile's index and the pyramid level.</summary>
    Centres = 1,

    /// <summary>Projection directions of the sliced Wasserstein distance, keyed by the pyramid level.</summary>
    Directions = 2,
}

/// <summary>
/// A SplitMix64 generator whose sequence depends only on its seed and keys. <see cref="Random"/> is not used: its seeded
/// sequence may change between .NET versions, and a measure reported with its seed must not.
/// </summary>
internal struct SeededRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong state;

    private SeededRandom(ulong state) => this.state = state;

    /// <summary>A generator for one stream of one seed, told apart by two keys (e.g. tile index and level).</summary>
    public static SeededRandom For(int seed, RandomStream stream, int key1, int key2)
    {
        ulong s = Scramble((uint)seed);
        s = Scramble(s ^ (uint)stream);
        s = Scramble(s ^ (uint)key1);
        return new SeededRandom(Scramble(s ^ (uint)key2));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        state += Golden;
        return Finalise(state);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>); the modulo bias is below 2^-33 for any int bound.</summary>
    public int NextInt(int bound) => (int)(NextBits() % (ulong)bound);

    /// <summary>A uniform double in [0, 1) from 53 random bits.</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal deviate (Box-Muller, cosine half only).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Scramble(ulong value) => Finalise(value + Golden);

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
