namespace Inpaint.Trainer.Masks;

/// <summary>Where training and validation put the square hole.</summary>
public enum MaskMode
{
    /// <summary>The article's test mask: the hole centred in the image ((32,32) for 64 in 128).</summary>
    Center,

    /// <summary>The article's training mask: the hole at a uniformly random position inside the image.</summary>
    Square,

    /// <summary>Half the samples centred, half random squares.</summary>
    Mixed,
}

/// <summary>Square-hole geometry and the blanking of images laid out as planar CHW floats.</summary>
public static class HoleMask
{
    /// <summary>Top-left corner of the hole for one sample.</summary>
    public static (int X, int Y) Place(MaskMode mode, int imageSize, int holeSize, Random rng)
    {
        int centre = CenterSquare.In(imageSize, holeSize).Left;
        int range = imageSize - holeSize + 1;
        return mode switch
        {
            MaskMode.Center => (centre, centre),
            MaskMode.Square => (rng.Next(range), rng.Next(range)),
            MaskMode.Mixed => rng.Next(2) == 0 ? (centre, centre) : (rng.Next(range), rng.Next(range)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
    }

    /// <summary>
    /// Fills the blanked square of a 3xSxS image with <paramref name="fill"/>: the hole at (x, y) of side
    /// <paramref name="holeSize"/>, shrunk by <paramref name="overlap"/> on every side.
    /// </summary>
    public static void Blank(Span<float> image, int imageSize, int x, int y, int holeSize, int overlap, ReadOnlySpan<float> fill)
    {
        int plane = imageSize * imageSize;
        int from = overlap, to = holeSize - overlap;
        for (int c = 0; c < 3; c++)
            for (int row = y + from; row < y + to; row++)
                image.Slice(c * plane + row * imageSize + x + from, to - from).Fill(fill[c]);
    }

    /// <summary>Copies the hole's 3xPxP patch at (x, y) out of a 3xSxS image.</summary>
    public static void CopyPatch(ReadOnlySpan<float> image, int imageSize, int x, int y, int holeSize, Span<float> patch)
    {
        int plane = imageSize * imageSize;
        for (int c = 0; c < 3; c++)
            for (int row = 0; row < holeSize; row++)
                image.Slice(c * plane + (y + row) * imageSize + x, holeSize)
                    .CopyTo(patch.Slice((c * holeSize + row) * holeSize, holeSize));
    }

    /// <summary>
    /// Per-pixel loss weights over the PxP patch: 1 in the blanked square, <paramref name="rimWeight"/> on the
    /// <paramref name="overlap"/>-pixel rim that the generator also predicts but sees (Pathak's overlap).
    /// </summary>
    public static float[] PatchWeights(int holeSize, int overlap, float rimWeight)
    {
        var weights = new float[holeSize * holeSize];
        for (int row = 0; row < holeSize; row++)
            for (int col = 0; col < holeSize; col++)
            {
                bool inner = row >= overlap && row < holeSize - overlap && col >= overlap && col < holeSize - overlap;
                weights[row * holeSize + col] = inner ? 1f : rimWeight;
            }
        return weights;
    }
}
