using Inpaint.Imaging;
using Inpaint.Masks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Cli;

/// <summary>Synthetic damage (<see cref="DamageRenderer"/>) drawn on a whole photo: the detector's test photos and samples.</summary>
internal static class PhotoDamage
{
    /// <summary>Draws <paramref name="kinds"/> onto a copy of <paramref name="photo"/> with seed <paramref name="seed"/>; the copy and the pixels the damage changed.</summary>
    public static (Image<Rgba32> Damaged, bool[] Truth) Draw(Image<Rgba32> photo, IEnumerable<DamageKind> kinds, int seed)
    {
        int width = photo.Width, height = photo.Height, plane = width * height;
        var planar = new float[3 * plane];
        for (int y = 0; y < height; y++)
        {
            Span<Rgba32> row = photo.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                planar[p] = row[x].R;
                planar[plane + p] = row[x].G;
                planar[2 * plane + p] = row[x].B;
            }
        }
        var truth = new bool[plane];
        var rng = new Random(seed);
        foreach (DamageKind kind in kinds) DamageRenderer.Draw(kind, planar, width, height, 0f, 255f, rng, truth);
        Image<Rgba32> damaged = photo.Clone();
        for (int y = 0; y < height; y++)
        {
            Span<Rgba32> row = damaged.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < width; x++)
            {
                int p = y * width + x;
                row[x] = new Rgba32(Byte(planar[p]), Byte(planar[plane + p]), Byte(planar[2 * plane + p]), row[x].A);
            }
        }
        return (damaged, truth);
    }

    /// <summary>Writes <paramref name="holes"/> as a grey PNG mask (white = damage), atomically.</summary>
    public static void SaveMask(bool[] holes, int width, int height, string path)
    {
        using Image<L8> mask = new HoleMap(width, height, holes, MaskSource.Detected).ToMask();
        AtomicFile.Write(path, s => mask.Save(s, new SixLabors.ImageSharp.Formats.Png.PngEncoder { ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType.Grayscale }));
    }

    private static byte Byte(float v) => (byte)Math.Clamp(MathF.Round(v), 0, 255);
}
