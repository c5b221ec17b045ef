using SixLabors.ImageSharp;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>The grid of one scale: tiles of one size (the photo's own when it is smaller), cores and context margins.</summary>
internal sealed class FreeformTileGrid
{
    private readonly int width, height, context;

    public FreeformTileGrid(int width, int height, (int Tile, int Context) geometry)
    {
        this.width = width;
        this.height = height;
        context = geometry.Context;
        TileWidth = Math.Min(geometry.Tile, width);
        TileHeight = Math.Min(geometry.Tile, height);
        CoreWidth = width <= geometry.Tile ? width : geometry.Tile - 2 * context;
        CoreHeight = height <= geometry.Tile ? height : geometry.Tile - 2 * context;
    }

    public int TileWidth { get; }
    public int TileHeight { get; }
    public int CoreWidth { get; }
    public int CoreHeight { get; }

    /// <summary>The cells that hold hole pixels the tiles must fill (not deep ones), row by row.</summary>
    public List<Rectangle> CellsWithHoles(bool[] holes, bool[]? deep)
    {
        int columns = (width + CoreWidth - 1) / CoreWidth, rows = (height + CoreHeight - 1) / CoreHeight;
        var cells = new List<Rectangle>();
        for (int cy = 0; cy < rows; cy++)
            for (int cx = 0; cx < columns; cx++)
            {
                var cell = new Rectangle(cx * CoreWidth, cy * CoreHeight, Math.Min(CoreWidth, width - cx * CoreWidth), Math.Min(CoreHeight, height - cy * CoreHeight));
                if (HasFineHole(holes, deep, cell)) cells.Add(cell);
            }
        return cells;
    }

    /// <summary>The tile around a cell: its context margin on each side, shifted to stay inside the photo.</summary>
    public Point Origin(Rectangle cell) =>
        new(Math.Clamp(cell.X - context, 0, width - TileWidth), Math.Clamp(cell.Y - context, 0, height - TileHeight));

    private bool HasFineHole(bool[] holes, bool[]? deep, Rectangle cell)
    {
        for (int y = cell.Top; y < cell.Bottom; y++)
            for (int x = cell.Left, i = y * width + x; x < cell.Right; x++, i++)
                if (holes[i] && (deep is null || !deep[i])) return true;
        return false;
    }
}
