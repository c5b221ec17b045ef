namespace Inpaint.Contract;

/// <summary>
/// The one definition of the centred square used by patch models, masks and evaluation: a square of side
/// <see cref="Side"/> whose top-left corner is at <c>((W - Side) / 2, (H - Side) / 2)</c>, rounded down.
/// </summary>
/// <param name="Left">Left edge (inclusive).</param>
/// <param name="Top">Top edge (inclusive).</param>
/// <param name="Side">Side in pixels.</param>
public readonly record struct CenterSquare(int Left, int Top, int Side)
{
    /// <summary>Right edge (exclusive).</summary>
    public int Right => Left + Side;

    /// <summary>Bottom edge (exclusive).</summary>
    public int Bottom => Top + Side;

    /// <summary>The square of side <paramref name="side"/> centred in a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public static CenterSquare In(int width, int height, int side) => new((width - side) / 2, (height - side) / 2, side);

    /// <summary>The square of side <paramref name="side"/> centred in a square image of side <paramref name="size"/>.</summary>
    public static CenterSquare In(int size, int side) => In(size, size, side);

    /// <summary>The article's test hole: half the shorter side, centred.</summary>
    public static CenterSquare HalfOf(int width, int height) => In(width, height, Math.Min(width, height) / 2);

    /// <summary>Whether (x, y) lies inside.</summary>
    public bool Contains(int x, int y) => x >= Left && x < Right && y >= Top && y < Bottom;

    /// <summary>The same square shrunk by <paramref name="margin"/> on every side.</summary>
    public CenterSquare Shrink(int margin) => new(Left + margin, Top + margin, Side - 2 * margin);
}
