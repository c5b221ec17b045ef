namespace Inpaint.Trainer.Data;

/// <summary>
/// One training step's data as planar floats in [-1, 1]: the real crops, the generator's input (the crops
/// with the hole blanked) and the true patches, plus each hole's position.
/// </summary>
public sealed class CenterBatch
{
    /// <summary>Allocates a batch.</summary>
    public CenterBatch(long step, int size, int imageSize, int holeSize)
    {
        Step = step;
        Size = size;
        ImageSize = imageSize;
        HoleSize = holeSize;
        Real = new float[size * 3 * imageSize * imageSize];
        Input = new float[Real.Length];
        Truth = new float[size * 3 * holeSize * holeSize];
        HoleX = new int[size];
        HoleY = new int[size];
    }

    /// <summary>The training step this batch belongs to.</summary>
    public long Step { get; }

    /// <summary>Samples in the batch.</summary>
    public int Size { get; }

    /// <summary>Crop side.</summary>
    public int ImageSize { get; }

    /// <summary>Hole side.</summary>
    public int HoleSize { get; }

    /// <summary>Real crops, [N, 3, S, S].</summary>
    public float[] Real { get; }

    /// <summary>Generator input, [N, 3, S, S].</summary>
    public float[] Input { get; }

    /// <summary>True patches, [N, 3, P, P].</summary>
    public float[] Truth { get; }

    /// <summary>Hole left edges.</summary>
    public int[] HoleX { get; }

    /// <summary>Hole top edges.</summary>
    public int[] HoleY { get; }
}
