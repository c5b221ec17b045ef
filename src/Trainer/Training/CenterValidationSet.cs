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
        int size = spec.ImageSize, hole = spec.Hole.Size;
        int corner = CenterSquare.In(size, hole).Left;
        var inputs = ValidationTiles.Cut(photos, cache, size, warn);
        var truths = new List<float[]>();
        foreach (float[] real in inputs)
        {
            var truth = new float[3 * hole * hole];
            HoleMask.CopyPatch(real, size, corner, corner, hole, truth);
            HoleMask.Blank(real, size, corner, corner, hole, spec.Hole.Overlap, spec.Hole.Fill);
            truths.Add(truth);
        }
        return new CenterValidationSet(inputs.SelectMany(x => x).ToArray(), truths.SelectMany(x => x).ToArray(), inputs.Count);
    }
}
