using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Inpaint.Imaging;

namespace Inpaint.Exporter.Verification;

/// <summary>A batch of contract inputs (0..255) for verification.</summary>
/// <param name="Name">What the batch is, for the report.</param>
/// <param name="Image">[N,3,S,S].</param>
/// <param name="Mask">[N,1,S,S].</param>
/// <param name="Batch">N.</param>
public sealed record VerificationBatch(string Name, float[] Image, float[] Mask, int Batch);

/// <summary>Makes verification batches: random noise, smooth synthetic scenes, and real photos when given.</summary>
public static class VerificationInputs
{
    /// <summary>
    /// Random images at several batch sizes plus smooth gradients, each with the centre hole and, outside it,
    /// random scattered hole pixels (which the model cannot fill and must leave as they were).
    /// </summary>
    public static IEnumerable<VerificationBatch> Synthetic(int size, int hole, int seed = 1)
    {
        var rng = new Random(seed);
        foreach (int batch in new[] { 1, 3, 8 })
        {
            var image = new float[batch * 3 * size * size];
            for (int i = 0; i < image.Length; i++) image[i] = rng.Next(256);
            yield return new VerificationBatch($"random x{batch}", image, Masks(batch, size, hole, rng), batch);
        }
        {
            const int batch = 4;
            var image = new float[batch * 3 * size * size];
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < size; y++)
                        for (int x = 0; x < size; x++)
                            image[((n * 3 + c) * size + y) * size + x] =
                                MathF.Round(128f + 120f * MathF.Sin(0.05f * (n + 1) * x + 0.07f * (c + 1) * y + n));
            yield return new VerificationBatch($"gradients x{batch}", image, Masks(batch, size, hole, rng), batch);
        }
    }

    /// <summary>Up to <paramref name="limit"/> photos from a folder, shorter side resized to S and centre-cropped.</summary>
    public static VerificationBatch? Photos(string folder, int size, int hole, int limit = 8)
    {
        if (!Directory.Exists(folder)) return null;
        var reader = new PhotoFile();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => PhotoFile.Extensions.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var crops = new List<float[]>();
        foreach (string file in files)
        {
            if (crops.Count >= limit) break;
            try
            {
                using Image<Rgb24> photo = reader.ReadRgb(file);
                photo.Mutate(c => c.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Crop }));
                var chw = new float[3 * size * size];
                for (int y = 0; y < size; y++)
                {
                    var row = photo.DangerousGetPixelRowMemory(y).Span;
                    for (int x = 0; x < size; x++)
                    {
                        chw[y * size + x] = row[x].R;
                        chw[size * size + y * size + x] = row[x].G;
                        chw[2 * size * size + y * size + x] = row[x].B;
                    }
                }
                crops.Add(chw);
            }
            catch (InvalidDataException)
            {
                // Verification uses what it can read.
            }
        }
        if (crops.Count == 0) return null;
        return new VerificationBatch($"photos x{crops.Count}", crops.SelectMany(c => c).ToArray(), Masks(crops.Count, size, hole, new Random(2)), crops.Count);
    }

    private static float[] Masks(int batch, int size, int hole, Random rng)
    {
        var mask = new float[batch * size * size];
        CenterSquare square = CenterSquare.In(size, hole);
        for (int n = 0; n < batch; n++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    mask[(n * size + y) * size + x] = square.Contains(x, y) || rng.Next(50) == 0 ? 255f : (float)rng.Next(0, 127);
                }
        return mask;
    }
}
