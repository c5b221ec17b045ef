using Inpaint.Trainer.Masks;

namespace Inpaint.Trainer.Data;

/// <summary>The context encoder's batches (crops with a square hole blanked), made ahead on background threads.</summary>
public sealed class CenterBatchLoader : BackgroundBatches<CenterBatch>
{
    /// <summary>Starts <paramref name="workers"/> threads producing batches from step <paramref name="firstStep"/>.</summary>
    public CenterBatchLoader(TrainingSampler sampler, int batchSize, int overlap, float[] fill, long firstStep, int workers, int prefetch)
        : base(step => Make(sampler, step, batchSize, overlap, fill), firstStep, workers, prefetch)
    {
    }

    /// <summary>Makes one batch synchronously (used by tests and by validation-free smoke runs).</summary>
    public static CenterBatch Make(TrainingSampler sampler, long step, int batchSize, int overlap, float[] fill)
    {
        int size = sampler.Options.ImageSize, hole = sampler.Options.HoleSize;
        var batch = new CenterBatch(step, batchSize, size, hole);
        int imageFloats = 3 * size * size, patchFloats = 3 * hole * hole;
        for (int i = 0; i < batchSize; i++)
        {
            Span<float> real = batch.Real.AsSpan(i * imageFloats, imageFloats);
            var (x, y) = sampler.Fill(step * batchSize + i, real);
            batch.HoleX[i] = x;
            batch.HoleY[i] = y;
            HoleMask.CopyPatch(real, size, x, y, hole, batch.Truth.AsSpan(i * patchFloats, patchFloats));
            Span<float> input = batch.Input.AsSpan(i * imageFloats, imageFloats);
            real.CopyTo(input);
            HoleMask.Blank(input, size, x, y, hole, overlap, fill);
        }
        return batch;
    }
}
