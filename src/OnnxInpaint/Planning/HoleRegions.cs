using Inpaint.Imaging;

namespace Inpaint.OnnxInpaint.Planning;

/// <summary>One connected group of hole pixels.</summary>
/// <param name="Id">Index of the region.</param>
/// <param name="Left">Bounding box left.</param>
/// <param name="Top">Bounding box top.</param>
/// <param name="Right">Bounding box right (exclusive).</param>
/// <param name="Bottom">Bounding box bottom (exclusive).</param>
/// <param name="Area">Hole pixels in the region.</param>
public sealed record HoleRegion(int Id, int Left, int Top, int Right, int Bottom, int Area)
{
    /// <summary>Bounding box width.</summary>
    public int Width => Right - Left;

    /// <summary>Bounding box height.</summary>
    public int Height => Bottom - Top;
}

/// <summary>
/// Groups hole pixels into 8-connected regions. With a dilation radius, holes closer than that are grouped
/// together (so they share context windows), but only the original hole pixels are ever written.
/// </summary>
public static class HoleRegions
{
    /// <summary>Labels the regions: returns them and a label per pixel (-1 for known pixels).</summary>
    public static (IReadOnlyList<HoleRegion> Regions, int[] Labels) Find(bool[] holes, int width, int height, int dilation = 0)
    {
        bool[] grouping = dilation > 0 ? Morphology.Dilate(holes, width, height, dilation) : holes;
        var labels = new int[holes.Length];
        Array.Fill(labels, -1);
        var regions = new List<HoleRegion>();
        var stack = new Stack<int>();
        var seen = new bool[holes.Length];
        for (int start = 0; start < holes.Length; start++)
        {
            if (!grouping[start] || seen[start]) continue;
            int id = regions.Count, left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1, area = 0;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                int x = i % width, y = i / width;
                if (holes[i])
                {
                    labels[i] = id;
                    area++;
                    left = Math.Min(left, x); right = Math.Max(right, x + 1);
                    top = Math.Min(top, y); bottom = Math.Max(bottom, y + 1);
                }
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                        int n = ny * width + nx;
                        if (grouping[n] && !seen[n])
                        {
                            seen[n] = true;
                            stack.Push(n);
                        }
                    }
            }
            // Dilation grows from hole pixels, so every group holds at least one.
            regions.Add(new HoleRegion(id, left, top, right, bottom, area));
        }
        return (regions, labels);
    }
}
