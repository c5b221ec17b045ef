using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Inpaint.Trainer.Data;
using Inpaint.Trainer.Masks;
using Inpaint.Contract;
using Inpaint.Models;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Held-out crops with the article's centre hole: each validation photo is resized so its shorter side is
/// twice the image size, centre-cropped to a square and cut into four tiles. Fixed for the whole run.
/// </summary>
public sealed class CenterValidationSet
{
    private CenterValidationSet(float[] input, float[] truth, int count)
    {
        Input = input;
        Truth = truth;
        Count = count;
    }

    /// <summary>Generator inputs [N,3,S,S] with the centre hole blanked.</summary>
    public float[] Input { get; }

    /// <summary>True centre patches [N,3,P,P].</summary>
    public float[] Truth { get; }

    /// <summary>Number of crops.</summary>
    public int Count { get; }

    /// <summary>Builds the crops; photos that fail to decode are skipped with a warning.</summary>
    public static CenterValidationSet Build(IReadOnlyList<PhotoEntry> photos, PhotoCache cache, ModelSpec spec, Action<string>? warn = null)
    {
        int size = spec.ImageSize, hole = spec.Hole.Size, imageFloats = 3 * size * size, patchFloats = 3 * hole * hole;
        var inputs = new List<float[]>();
        var truths = new List<float[]>();
        int corner = CenterSquare.In(size, hole).Left;
        foreach (PhotoEntry photo in photos)
        {
            Image<Rgb24> source;
            bool owned;
            try
            {
                source = cache.Get(photo, out owned);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                warn?.Invoke($"validation: {e.Message}; skipped");
                continue;
            }
            try
            {
                using Image<Rgb24> square = source.Clone(c => c.Resize(new ResizeOptions
                {
                    Size = new Size(2 * size, 2 * size), Mode = ResizeMode.Crop, Position = AnchorPositionMode.Center, Sampler = KnownResamplers.Bicubic,
                }));
                for (int ty = 0; ty < 2; ty++)
                    for (int tx = 0; tx < 2; tx++)
                    {
                        using Image<Rgb24> tile = square.Clone(c => c.Crop(new Rectangle(tx * size, ty * size, size, size)));
                        var real = new float[imageFloats];
                        PixelConversion.ToPlanar(tile, real, mirror: false);
                        var truth = new float[patchFloats];
                        HoleMask.CopyPatch(real, size, corner, corner, hole, truth);
                        HoleMask.Blank(real, size, corner, corner, hole, spec.Hole.Overlap, spec.Hole.Fill);
                        inputs.Add(real);
                        truths.Add(truth);
                    }
            }
            finally
            {
                if (owned) source.Dispose();
            }
        }
        return new CenterValidationSet(inputs.SelectMany(x => x).ToArray(), truths.SelectMany(x => x).ToArray(), inputs.Count);
    }
}
