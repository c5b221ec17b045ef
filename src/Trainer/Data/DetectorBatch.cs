using Inpaint.Masks;

namespace Inpaint.Trainer.Data;

/// <summary>
/// One training step's data for the damage detector: crops with synthetic damage drawn on them (planar floats in
/// [-1, 1]) and, per crop, the pixels the damage visibly changed (1) or not (0) (<see cref="DamageRenderer"/>).
/// </summary>
public sealed class DetectorBatch
{
    /// <summary>Allocates a batch.</summary>
    public DetectorBatch(long step, int size, int imageSize)
    {
        Step = step;
        Size = size;
        ImageSize = imageSize;
        Damaged = new float[size * 3 * imageSize * imageSize];
        Label = new float[size * imageSize * imageSize];
    }

    /// <summary>The training step this batch belongs to.</summary>
    public long Step { get; }

    /// <summary>Samples in the batch.</summary>
    public int Size { get; }

    /// <summary>Crop side.</summary>
    public int ImageSize { get; }

    /// <summary>The damaged crops, [N, 3, S, S].</summary>
    public float[] Damaged { get; }

    /// <summary>Damage, [N, 1, S, S], 1 where the damage changed the pixel.</summary>
    public float[] Label { get; }

    /// <summary>
    /// Makes the batch of <paramref name="step"/>: crop g = step * batchSize + i from the sampler (a pure function of the
    /// seed and g), then damage of <paramref name="kinds"/> from the same sample's random generator, drawn on the resized
    /// photo the crop lies in (<see cref="DamageFrame"/>); a share
    /// <paramref name="cleanShare"/> of the crops stays clean.
    /// </summary>
    public static DetectorBatch Make(TrainingSampler sampler, IReadOnlyList<DamageKind> kinds, double cleanShare, long step, int batchSize)
    {
        int size = sampler.Options.ImageSize, plane = size * size;
        var batch = new DetectorBatch(step, batchSize, size);
        var label = new bool[plane];
        for (int i = 0; i < batchSize; i++)
        {
            Span<float> crop = batch.Damaged.AsSpan(i * 3 * plane, 3 * plane);
            Random rng = sampler.Crop(step * batchSize + i, crop, out CropWindow window);
            Array.Clear(label);
            // Damage is placed and sized by the photo the crop was cut from, as on a whole photo: a caption or a torn
            // corner may be larger than the crop, or outside it.
            var frame = new DamageFrame(window.PhotoWidth, window.PhotoHeight, window.Left, window.Top, size, size);
            DamageRenderer.DrawMix(kinds, cleanShare, crop, frame, -1f, 1f, rng, label);
            Span<float> target = batch.Label.AsSpan(i * plane, plane);
            for (int p = 0; p < plane; p++) target[p] = label[p] ? 1f : 0f;
        }
        return batch;
    }
}
