using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Inpaint.Trainer.Data;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Sample grids like the article's output_images: one row per sample with the masked input, the input with
/// the generated patch pasted in, and the real crop.
/// </summary>
public static class CenterSampleGrid
{
    /// <summary>Renders up to <paramref name="rows"/> samples of a batch, given the generated patches [N,3,P,P].</summary>
    public static Image<Rgb24> Render(CenterBatch batch, float[] generated, int rows)
    {
        int size = batch.ImageSize, hole = batch.HoleSize, n = Math.Min(rows, batch.Size);
        int imageFloats = 3 * size * size, patchFloats = 3 * hole * hole;
        var grid = new Image<Rgb24>(3 * size, n * size);
        for (int i = 0; i < n; i++)
        {
            var input = batch.Input.AsSpan(i * imageFloats, imageFloats);
            var filled = input.ToArray();
            var patch = generated.AsSpan(i * patchFloats, patchFloats);
            for (int c = 0; c < 3; c++)
                for (int row = 0; row < hole; row++)
                    patch.Slice((c * hole + row) * hole, hole)
                        .CopyTo(filled.AsSpan(c * size * size + (batch.HoleY[i] + row) * size + batch.HoleX[i], hole));
            using var a = PixelConversion.FromPlanar(input, size, size);
            using var b = PixelConversion.FromPlanar(filled, size, size);
            using var c2 = PixelConversion.FromPlanar(batch.Real.AsSpan(i * imageFloats, imageFloats), size, size);
            int y = i * size;
            grid.Mutate(g => g.DrawImage(a, new Point(0, y), 1f).DrawImage(b, new Point(size, y), 1f).DrawImage(c2, new Point(2 * size, y), 1f));
        }
        return grid;
    }
}
