using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;

namespace Inpaint.OnnxInpaint;

/// <summary>Arithmetic on per-pixel probability maps (row-major float planes) of the damage detector.</summary>
internal static class ProbabilityMaps
{
    /// <summary>
    /// Raises every value of <paramref name="target"/> to the value of <paramref name="source"/> (a map of the same
    /// picture at a smaller scale) interpolated bilinearly at that pixel, where the source's is higher. Pixel centres
    /// are aligned, as a box downscale by the size ratio places them.
    /// </summary>
    public static void MaxUpsampled(float[] target, int width, int height, float[] source, int sourceWidth, int sourceHeight)
    {
        if (target.Length != width * height || source.Length != sourceWidth * sourceHeight)
            throw new ArgumentException("a map's length does not match its size");
        double sx = (double)sourceWidth / width, sy = (double)sourceHeight / height;
        for (int y = 0; y < height; y++)
        {
            double fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, sourceHeight - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, sourceHeight - 1);
            float wy = (float)(fy - y0);
            for (int x = 0; x < width; x++)
            {
                double fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, sourceWidth - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, sourceWidth - 1);
                float wx = (float)(fx - x0);
                float top = source[y0 * sourceWidth + x0] + wx * (source[y0 * sourceWidth + x1] - source[y0 * sourceWidth + x0]);
                float bottom = source[y1 * sourceWidth + x0] + wx * (source[y1 * sourceWidth + x1] - source[y1 * sourceWidth + x0]);
                float value = top + wy * (bottom - top);
                int i = y * width + x;
                if (value > target[i]) target[i] = value;
            }
        }
    }

    /// <summary>
    /// Clears every value of <paramref name="map"/> outside the 8-connected regions of values at least
    /// <paramref name="threshold"/> that are large at this scale: at least <paramref name="minArea"/> pixels, with a pixel
    /// at least <paramref name="minDepth"/> from the region's edge (chessboard). What a smaller scale of the photo finds
    /// that is small or thin at that scale (a speck, a line) is the photo's own scale's to find; at the smaller scale it
    /// is more often a small object or a thin bright edge of the picture than damage, and upsampled it would cover it
    /// several pixels wide.
    /// </summary>
    public static void KeepLarge(float[] map, int width, int height, float threshold, int minArea, int minDepth)
    {
        if (map.Length != width * height) throw new ArgumentException("the map's length does not match its size");
        var found = new bool[map.Length];
        for (int i = 0; i < map.Length; i++) found[i] = map[i] >= threshold;
        var (regions, labels) = HoleRegions.Find(found, width, height);
        int[] depth = HoleDistance.Chessboard(found, width, height);
        var deepest = new int[regions.Count];
        for (int i = 0; i < map.Length; i++)
            if (labels[i] >= 0) deepest[labels[i]] = Math.Max(deepest[labels[i]], depth[i]);
        for (int i = 0; i < map.Length; i++)
            if (labels[i] < 0 || regions[labels[i]].Area < minArea || deepest[labels[i]] < minDepth) map[i] = 0;
    }
}
