using Inpaint.Trainer.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Sample grids for the freeform family: one row per sample with the damaged input (holes white), the pre-fill,
/// the model's repair and the real crop.
/// </summary>
public static class FreeformSampleGrid
{
    /// <summary>Renders up to <paramref name="rows"/> samples; <paramref name="prefilled"/> and <paramref name="repaired"/> are [N,3,S,S] in [-1, 1].</summary>
    public static Image<Rgb24> Render(FreeformBatch batch, float[] prefilled, float[] repaired, int rows)
    {
        int size = batch.ImageSize, n = Math.Min(rows, batch.Size), plane = size * size, imageFloats = 3 * plane;
        var grid = new Image<Rgb24>(4 * size, n * size);
        for (int i = 0; i < n; i++)
        {
            var damaged = batch.Real.AsSpan(i * imageFloats, imageFloats).ToArray();
            ReadOnlySpan<float> hole = batch.Hole.AsSpan(i * plane, plane);
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < plane; p++)
                    if (hole[p] > 0.5f) damaged[c * plane + p] = 1f;
            using var a = PixelConversion.FromPlanar(damaged, size, size);
            using var b = PixelConversion.FromPlanar(prefilled.AsSpan(i * imageFloats, imageFloats), size, size);
            using var c2 = PixelConversion.FromPlanar(repaired.AsSpan(i * imageFloats, imageFloats), size, size);
            using var d = PixelConversion.FromPlanar(batch.Real.AsSpan(i * imageFloats, imageFloats), size, size);
            int y = i * size;
            grid.Mutate(g => g.DrawImage(a, new Point(0, y), 1f).DrawImage(b, new Point(size, y), 1f)
                .DrawImage(c2, new Point(2 * size, y), 1f).DrawImage(d, new Point(3 * size, y), 1f));
        }
        return grid;
    }
}
