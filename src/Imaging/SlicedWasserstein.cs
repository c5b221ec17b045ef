using System.Numerics;

namespace Inpaint.Imaging;

/// <summary>
/// The sliced Wasserstein distance between two equally large sets of patch descriptors (Karras et al. 2018, section 5):
/// both sets are normalised by the first set's per-channel mean and standard deviation, projected on random unit
/// directions, and each direction's sorted projections compared; the distance is the mean absolute difference of the
/// sorted values, averaged over the directions.
/// </summary>
internal static class SlicedWasserstein
{
    private const int Length = PatchDescriptors.Length;

    // A block is two SIMD vectors of directions: the kernel keeps two descriptors x two vectors of sums in registers,
    // and a block's transposed directions (147 x 16 floats with AVX2, about 9 KB) stay in L1 while the descriptors
    // stream past once per block.
    private static readonly int BlockWidth = 2 * Vector<float>.Count;

    /// <summary>
    /// <paramref name="count"/> unit vectors of 147 floats (Gaussian, then normalised: uniform on the sphere), a
    /// function of <paramref name="seed"/> and <paramref name="level"/> only.
    /// </summary>
    public static float[] Directions(int seed, int level, int count)
    {
        var random = SeededRandom.For(seed, RandomStream.Directions, level, 0);
        var directions = new float[count * Length];
        var gaussian = new double[Length];
        for (int d = 0; d < count; d++)
        {
            double norm = 0;
            while (norm == 0)
            {
                norm = 0;
                for (int i = 0; i < Length; i++)
                {
                    gaussian[i] = random.NextGaussian();
                    norm += gaussian[i] * gaussian[i];
                }
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < Length; i++) directions[d * Length + i] = (float)(gaussian[i] / norm);
        }
        return directions;
    }

    /// <summary>
    /// The distance between <paramref name="truth"/> and <paramref name="result"/> (the same count), both mapped by the
    /// affine map that gives the truth zero mean and unit population standard deviation per channel (a channel without
    /// spread is only centred). Directions run in parallel blocks, each writing its own slots, summed in order: the value
    /// does not depend on scheduling.
    /// </summary>
    public static double Distance(PatchDescriptors truth, PatchDescriptors result, float[] directions)
    {
        var (offset, scale) = ChannelNormalisation(truth.Values);
        var sets = new Sets(Normalised(truth.Values, offset, scale), Normalised(result.Values, offset, scale), truth.Count);
        var perDirection = new double[directions.Length / Length];
        int blocks = (perDirection.Length + BlockWidth - 1) / BlockWidth;
        Parallel.For(0, blocks, () => new Scratch(BlockWidth, sets.Count), (block, _, scratch) =>
        {
            DistancesOfBlock(sets, directions, block * BlockWidth, perDirection, scratch);
            return scratch;
        }, _ => { });
        double sum = 0;
        foreach (double value in perDirection) sum += value;
        return sum / perDirection.Length;
    }

    private static (double[] Offset, double[] Scale) ChannelNormalisation(ReadOnlySpan<float> truth)
    {
        var mean = new double[3];
        var scale = new double[3];
        int perChannel = truth.Length / 3;
        for (int i = 0; i < truth.Length; i++) mean[i % 3] += truth[i];
        for (int c = 0; c < 3; c++) mean[c] /= perChannel;
        // Two passes, not E[x^2] - E[x]^2, which cancels badly on the coarsest level's large offsets.
        for (int i = 0; i < truth.Length; i++) scale[i % 3] += (truth[i] - mean[i % 3]) * (truth[i] - mean[i % 3]);
        for (int c = 0; c < 3; c++)
        {
            double deviation = Math.Sqrt(scale[c] / perChannel);
            scale[c] = deviation > 0 ? 1 / deviation : 1;
        }
        return (mean, scale);
    }

    // Padded with zeros to an even number of descriptors, so the kernel has no odd tail.
    private static float[] Normalised(ReadOnlySpan<float> values, double[] offset, double[] scale)
    {
        int count = values.Length / Length;
        var normalised = new float[(count + 1) / 2 * 2 * Length];
        for (int i = 0; i < values.Length; i++) normalised[i] = (float)((values[i] - offset[i % 3]) * scale[i % 3]);
        return normalised;
    }

    private static void DistancesOfBlock(Sets sets, float[] directions, int first, double[] perDirection, Scratch scratch)
    {
        int width = Math.Min(BlockWidth, perDirection.Length - first);
        Transpose(directions.AsSpan(first * Length, width * Length), scratch.Directions);
        Project(sets.Truth, sets.Count, scratch.Directions, scratch.Truth);
        Project(sets.Result, sets.Count, scratch.Directions, scratch.Result);
        for (int j = 0; j < width; j++)
        {
            var truth = scratch.Truth.AsSpan(j * sets.Count, sets.Count);
            var result = scratch.Result.AsSpan(j * sets.Count, sets.Count);
            scratch.Sorter.Sort(truth);
            scratch.Sorter.Sort(result);
            double sum = 0;
            for (int i = 0; i < truth.Length; i++) sum += Math.Abs(truth[i] - result[i]);
            perDirection[first + j] = sum / truth.Length;
        }
    }

    // The block as [component][direction], unused directions of a short last block zero, so the kernel loads one SIMD
    // vector of directions per descriptor component.
    private static void Transpose(ReadOnlySpan<float> block, float[] transposed)
    {
        Array.Clear(transposed);
        for (int j = 0; j < block.Length / Length; j++)
            for (int k = 0; k < Length; k++)
                transposed[k * BlockWidth + j] = block[j * Length + k];
    }

    // projections[j * count + i] = descriptor i . direction j of the block, each direction's values contiguous for
    // sorting; two descriptors at a time share every load of the directions.
    private static void Project(float[] descriptors, int count, float[] transposed, float[] projections)
    {
        int lanes = Vector<float>.Count;
        Span<float> sums = stackalloc float[2 * BlockWidth];
        for (int i = 0; i < count; i += 2)
        {
            int first = i * Length, second = first + Length;
            Vector<float> firstLow = default, firstHigh = default, secondLow = default, secondHigh = default;
            for (int k = 0; k < Length; k++)
            {
                var low = new Vector<float>(transposed, k * BlockWidth);
                var high = new Vector<float>(transposed, k * BlockWidth + lanes);
                var x = new Vector<float>(descriptors[first + k]);
                var y = new Vector<float>(descriptors[second + k]);
                firstLow += x * low;
                firstHigh += x * high;
                secondLow += y * low;
                secondHigh += y * high;
            }
            firstLow.CopyTo(sums);
            firstHigh.CopyTo(sums[lanes..]);
            secondLow.CopyTo(sums[BlockWidth..]);
            secondHigh.CopyTo(sums[(BlockWidth + lanes)..]);
            for (int q = 0; q < Math.Min(2, count - i); q++)
                for (int j = 0; j < BlockWidth; j++)
                    projections[j * count + i + q] = sums[q * BlockWidth + j];
        }
    }

    /// <summary>Both normalised sets, each padded to an even count; <see cref="Count"/> is the real one.</summary>
    private sealed record Sets(float[] Truth, float[] Result, int Count);

    /// <summary>One worker's buffers for a block of directions, reused across its blocks.</summary>
    private sealed class Scratch(int directions, int count)
    {
        public float[] Directions { get; } = new float[directions * Length];

        public float[] Truth { get; } = new float[directions * count];

        public float[] Result { get; } = new float[directions * count];

        public FloatRadixSorter Sorter { get; } = new(count);
    }
}
