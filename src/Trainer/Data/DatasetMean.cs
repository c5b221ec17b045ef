using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.Trainer.Data;

/// <summary>The mean colour of the training photos in [-1, 1], Pathak's alternative hole fill.</summary>
public static class DatasetMean
{
    /// <summary>Averages each photo (shrunk to 256 px on its shorter side) with equal weight; unreadable ones are skipped.</summary>
    public static float[] Compute(IReadOnlyList<PhotoEntry> photos, PhotoFile files)
    {
        double r = 0, g = 0, b = 0;
        int counted = 0;
        foreach (PhotoEntry photo in photos)
        {
            Image<Rgb24> image;
            try
            {
                image = files.ReadRgb(photo.Path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                continue;
            }
            using (image)
            {
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(256, 256), Mode = ResizeMode.Min }));
                double pr = 0, pg = 0, pb = 0;
                for (int y = 0; y < image.Height; y++)
                    foreach (Rgb24 p in image.DangerousGetPixelRowMemory(y).Span)
                    {
                        pr += p.R; pg += p.G; pb += p.B;
                    }
                double n = (double)image.Width * image.Height;
                r += pr / n; g += pg / n; b += pb / n;
                counted++;
            }
        }
        if (counted == 0) throw new UserError("cannot compute the mean colour: no training photo could be decoded");
        return [PixelNormalisation.ToNetwork((float)(r / counted)), PixelNormalisation.ToNetwork((float)(g / counted)), PixelNormalisation.ToNetwork((float)(b / counted))];
    }
}
