namespace Inpaint.Imaging;

/// <summary>
/// A growing pool of 7x7 RGB patch descriptors of one pyramid level, 147 floats each (row, column, channel), pixels
/// outside the level replicated from its edge. Floats halve the memory of pooling many tiles and feed the float
/// projections of <see cref="SlicedWasserstein"/> directly.
/// </summary>
internal sealed class PatchDescriptors
{
    /// <summary>The patch's side: 3 pixels either side of the centre.</summary>
    public const int Side = 7;

    /// <summary>Values per descriptor.</summary>
    public const int Length = Side * Side * 3;

    private float[] values = [];

    /// <summary>Descriptors held.</summary>
    public int Count { get; private set; }

    /// <summary>All descriptors, <see cref="Count"/> x <see cref="Length"/> values.</summary>
    public ReadOnlySpan<float> Values => values.AsSpan(0, Count * Length);

    /// <summary>Appends the patches of <paramref name="plane"/> around <paramref name="centres"/> (row-major pixel indices).</summary>
    public void Append(RgbPlane plane, int[] centres)
    {
        if ((Count + centres.Length) * Length > values.Length)
            Array.Resize(ref values, Math.Max(Count + centres.Length, 2 * Count) * Length);
        foreach (int centre in centres)
        {
            Write(plane, centre % plane.Width, centre / plane.Width, values.AsSpan(Count * Length, Length));
            Count++;
        }
    }

    private static void Write(RgbPlane plane, int centreX, int centreY, Span<float> descriptor)
    {
        const int Reach = Side / 2;
        int i = 0;
        for (int dy = -Reach; dy <= Reach; dy++)
        {
            int y = Math.Clamp(centreY + dy, 0, plane.Height - 1);
            for (int dx = -Reach; dx <= Reach; dx++)
            {
                int from = plane.Index(Math.Clamp(centreX + dx, 0, plane.Width - 1), y);
                for (int c = 0; c < 3; c++) descriptor[i++] = (float)plane.Values[from + c];
            }
        }
    }
}
