using Inpaint.Masks;

namespace Inpaint.Trainer.Data;

/// <summary>
/// One training step's data for the freeform family: real crops as planar floats in [-1, 1], a hole mask per crop
/// (1 = hole, 0 = known) drawn from the mask mix, and the crops pre-filled (<see cref="HarmonicFill"/>): the network sees
/// a crop only through its pre-fill, which has no weights, so it is made here, on the batch-making thread, off the step.
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
        Filled = new float[Real.Length];
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

    /// <summary>The crops with their holes pre-filled, [N, 3, S, S]; known pixels are the crops'.</summary>
    public float[] Filled { get; }

    /// <summary>Holes, [N, 1, S, S], 1 where the pixel is to be repaired.</summary>
    public float[] Hole { get; }

    /// <summary>The (first) mask kind of each sample.</summary>
    public MaskKind[] Kinds { get; }

    /// <summary>
    /// Makes the batch of <paramref name="step"/>: crop g = step * batchSize + i comes from the sampler (a pure function
    /// of the seed and g), its mask from the same sample's random generator, and its pre-fill from <paramref name="fill"/>
    /// (null: not yet, see <see cref="Prefill"/>).
    /// </summary>
    public static FreeformBatch Make(TrainingSampler sampler, MaskMix mix, HarmonicFill? fill, long step, int batchSize)
    {
        int size = sampler.Options.ImageSize, plane = size * size;
        var batch = new FreeformBatch(step, batchSize, size);
        for (int i = 0; i < batchSize; i++)
        {
            Random rng = sampler.Crop(step * batchSize + i, batch.Real.AsSpan(i * 3 * plane, 3 * plane));
            bool[] holes = MaskGenerator.ToHoles(MaskGenerator.Coverage(mix, size, size, rng, out batch.Kinds[i]));
            Span<float> hole = batch.Hole.AsSpan(i * plane, plane);
            for (int p = 0; p < plane; p++) hole[p] = holes[p] ? 1f : 0f;
        }
        if (fill is not null) batch.Prefill(fill);
        return batch;
    }

    /// <summary>Writes <see cref="Filled"/>: every crop with its holes pre-filled.</summary>
    public void Prefill(HarmonicFill fill)
    {
        int plane = ImageSize * ImageSize;
        var holes = new bool[plane];
        for (int i = 0; i < Size; i++)
        {
            for (int p = 0; p < plane; p++) holes[p] = Hole[i * plane + p] > 0.5f;
            fill.Fill(Real.AsSpan(i * 3 * plane, 3 * plane), holes, 3, ImageSize, ImageSize, Filled.AsSpan(i * 3 * plane, 3 * plane));
        }
    }
}
