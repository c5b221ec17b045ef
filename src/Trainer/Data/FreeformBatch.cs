using Inpaint.Masks;

namespace Inpaint.Trainer.Data;

/// <summary>
/// One training step's data for the freeform family: real crops as planar floats in [-1, 1], and a hole mask per
/// crop (1 = hole, 0 = known) drawn from the mask mix. The network sees the crop only through its pre-fill.
/// </summary>
public sealed class FreeformBatch
{
    /// <summary>Allocates a batch.</summary>
    public FreeformBatch(long step, int size, int imageSize)
    {
        Step = step;
        Size = size;
        ImageSize = imageSize;
        Real = new float[size * 3 * imageSize * imageSize];
        Hole = new float[size * imageSize * imageSize];
        Kinds = new MaskKind[size];
    }

    /// <summary>The training step this batch belongs to.</summary>
    public long Step { get; }

    /// <summary>Samples in the batch.</summary>
    public int Size { get; }

    /// <summary>Crop side.</summary>
    public int ImageSize { get; }

    /// <summary>Real crops, [N, 3, S, S].</summary>
    public float[] Real { get; }

    /// <summary>Holes, [N, 1, S, S], 1 where the pixel is to be repaired.</summary>
    public float[] Hole { get; }

    /// <summary>The (first) mask kind of each sample.</summary>
    public MaskKind[] Kinds { get; }

    /// <summary>
    /// Makes the batch of <paramref name="step"/>: crop g = step * batchSize + i comes from the sampler (a pure function
    /// of the seed and g), and its mask from the same sample's random generator.
    /// </summary>
    public static FreeformBatch Make(TrainingSampler sampler, MaskMix mix, long step, int batchSize)
    {
        int size = sampler.Options.ImageSize, plane = size * size;
        var batch = new FreeformBatch(step, batchSize, size);
        for (int i = 0; i < batchSize; i++)
        {
            Random rng = sampler.Crop(step * batchSize + i, batch.Real.AsSpan(i * 3 * plane, 3 * plane));
            byte[] coverage = MaskGenerator.Coverage(mix, size, size, rng, out batch.Kinds[i]);
            Span<float> hole = batch.Hole.AsSpan(i * plane, plane);
            for (int p = 0; p < plane; p++) hole[p] = coverage[p] >= MaskGenerator.HoleThreshold ? 1f : 0f;
        }
        return batch;
    }
}
