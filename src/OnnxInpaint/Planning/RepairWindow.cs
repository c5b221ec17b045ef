namespace Inpaint.OnnxInpaint.Planning;

/// <summary>
/// One model call's worth of work: a square context window of the photo (which may reach past its edges;
/// edges are replicated), scaled to the model's size, whose generated centre fills the hole pixels of one
/// cell of a region. The cell is widened by the feather so neighbouring cells blend.
/// </summary>
/// <param name="Region">The region's id.</param>
/// <param name="Left">Cell left, feather included (image pixels).</param>
/// <param name="Top">Cell top, feather included.</param>
/// <param name="Right">Cell right (exclusive), feather included.</param>
/// <param name="Bottom">Cell bottom (exclusive), feather included.</param>
/// <param name="WindowX">Window left edge in image coordinates (may be negative).</param>
/// <param name="WindowY">Window top edge in image coordinates.</param>
/// <param name="WindowSide">Window side in image pixels.</param>
/// <param name="Feather">Blend width in pixels.</param>
public sealed record RepairWindow(int Region, int Left, int Top, int Right, int Bottom, double WindowX, double WindowY, double WindowSide, int Feather)
{
    /// <summary>Image pixels per model pixel.</summary>
    public double Scale(int modelSize) => WindowSide / modelSize;

    /// <summary>Blend weight of a pixel: 1 well inside the cell, falling linearly over the feather to its edge.</summary>
    public float Weight(int x, int y)
    {
        if (Feather <= 0) return 1f;
        int d = Math.Min(Math.Min(x - Left, Right - 1 - x), Math.Min(y - Top, Bottom - 1 - y));
        return Math.Clamp((d + 1f) / (2f * Feather + 1f), 0f, 1f);
    }
}
