namespace Inpaint.OnnxInpaint.Planning;

/// <summary>
/// Places context windows for a center model (contract <c>center:P</c>, blank square B of a model of
/// size S). A compact region gets one window about twice its extent, so it falls inside the centre hole. A long
/// thin region (a scratch across a photo) is cut into square cells of side about sqrt(area), at least
/// <see cref="RepairOptions.MinCell"/>, and each cell that holds hole pixels gets its own window along it.
/// Regions larger than a window are scaled down into it.
/// </summary>
public static class WindowPlanner
{
    /// <summary>Plans windows for every region.</summary>
    public static IReadOnlyList<RepairWindow> Plan(IReadOnlyList<HoleRegion> regions, int[] labels, int width, int modelSize, int blankSize, RepairOptions options)
    {
        var windows = new List<RepairWindow>();
        int minCell = options.MinCell > 0 ? options.MinCell : Math.Max(1, blankSize / 2);
        foreach (HoleRegion region in regions)
        {
            int extent = Math.Max(region.Width, region.Height);
            int cell = Math.Max(minCell, (int)Math.Ceiling(Math.Sqrt(region.Area)));
            if (extent <= cell) cell = extent;
            for (int top = region.Top; top < region.Bottom; top += cell)
                for (int left = region.Left; left < region.Right; left += cell)
                {
                    int right = Math.Min(left + cell, region.Right), bottom = Math.Min(top + cell, region.Bottom);
                    if (!HasPixel(labels, width, region.Id, left, top, right, bottom)) continue;
                    windows.Add(Window(region.Id, left, top, right, bottom, modelSize, blankSize, options));
                }
        }
        return windows;
    }

    /// <summary>The window for one cell: its widened cell spans at most the blank square once scaled.</summary>
    internal static RepairWindow Window(int region, int left, int top, int right, int bottom, int modelSize, int blankSize, RepairOptions options)
    {
        int f = options.Feather;
        int l = left - f, t = top - f, r = right + f, b = bottom + f;
        int side = Math.Max(r - l, b - t);
        // Model pixels per image pixel: fit the widened cell into the blank square, but magnify at most so much.
        double magnification = Math.Min(options.MaxMagnification, (double)blankSize / side);
        double windowSide = modelSize / magnification;
        double cx = (left + right) / 2.0, cy = (top + bottom) / 2.0;
        return new RepairWindow(region, l, t, r, b, cx - windowSide / 2, cy - windowSide / 2, windowSide, f);
    }

    private static bool HasPixel(int[] labels, int width, int id, int left, int top, int right, int bottom)
    {
        for (int y = top; y < bottom; y++)
            for (int x = left; x < right; x++)
                if (labels[y * width + x] == id) return true;
        return false;
    }
}
