namespace Inpaint.Imaging.Synthesis;

/// <summary>
/// One level of the synthesis pyramid: per pixel 8 floats (the current colours R, G, B; the guide's low-pass times the
/// square root of its weight; two zeros, so a pixel is one 256-bit vector), the hole flags, the valid source centres
/// (whole patch inside the image and free of holes) and the targets (pixels whose patch touches a hole).
/// </summary>
internal sealed class SynthesisLevel
{
    /// <summary>Floats per pixel in <see cref="Features"/>.</summary>
    public const int Stride = 8;

    public SynthesisLevel(float[] colours, bool[] holes, int width, int height, int radius, PatchSynthesisOptions options)
    {
        Width = width;
        Height = height;
        Radius = radius;
        Holes = holes;
        Features = new float[Stride * width * height];
        float[] lowPass = BoxBlur.Twice(colours, width, height, options.GuideBlur);
        float scale = MathF.Sqrt(options.GuideWeight);
        for (int i = 0; i < width * height; i++)
            for (int c = 0; c < 3; c++)
            {
                Features[Stride * i + c] = colours[3 * i + c];
                Features[Stride * i + 3 + c] = scale * lowPass[3 * i + c];
            }
        (IsSource, Sources) = FindSources(holes, width, height, radius);
        (Targets, TargetOf) = FindTargets(holes, width, height, radius);
    }

    public int Width { get; }
    public int Height { get; }
    public int Radius { get; }
    public bool[] Holes { get; }
    public float[] Features { get; }
    public bool[] IsSource { get; }
    public int[] Sources { get; }
    public int[] Targets { get; }

    /// <summary>The target ordinal of each pixel, -1 where its patch touches no hole.</summary>
    public int[] TargetOf { get; }

    /// <summary>The current colours, interleaved RGB.</summary>
    public float[] Colours()
    {
        var rgb = new float[3 * Width * Height];
        for (int i = 0; i < Width * Height; i++)
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = Features[Stride * i + c];
        return rgb;
    }

    /// <summary>Sets the colours of the hole pixels (interleaved RGB of the whole level); the rest stay.</summary>
    public void SetHoleColours(ReadOnlySpan<float> rgb)
    {
        for (int i = 0; i < Width * Height; i++)
            if (Holes[i])
                for (int c = 0; c < 3; c++) Features[Stride * i + c] = rgb[3 * i + c];
    }

    /// <summary>Centres whose whole patch lies inside the image and holds no hole pixel (a summed-area table of the holes).</summary>
    private static (bool[] IsSource, int[] Sources) FindSources(bool[] holes, int width, int height, int r)
    {
        var sums = new int[(width + 1) * (height + 1)];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                sums[(y + 1) * (width + 1) + x + 1] = (holes[y * width + x] ? 1 : 0) + sums[y * (width + 1) + x + 1]
                                                      + sums[(y + 1) * (width + 1) + x] - sums[y * (width + 1) + x];
        var isSource = new bool[width * height];
        var sources = new List<int>();
        for (int y = r; y < height - r; y++)
            for (int x = r; x < width - r; x++)
            {
                int x0 = x - r, y0 = y - r, x1 = x + r + 1, y1 = y + r + 1;
                int inside = sums[y1 * (width + 1) + x1] - sums[y0 * (width + 1) + x1] - sums[y1 * (width + 1) + x0] + sums[y0 * (width + 1) + x0];
                if (inside != 0) continue;
                isSource[y * width + x] = true;
                sources.Add(y * width + x);
            }
        return (isSource, sources.ToArray());
    }

    /// <summary>Pixels within <paramref name="r"/> (chessboard) of a hole pixel, in raster order.</summary>
    private static (int[] Targets, int[] TargetOf) FindTargets(bool[] holes, int width, int height, int r)
    {
        bool[] near = Morphology.Dilate(holes, width, height, r);
        var targetOf = new int[width * height];
        var targets = new List<int>();
        for (int i = 0; i < targetOf.Length; i++)
        {
            targetOf[i] = near[i] ? targets.Count : -1;
            if (near[i]) targets.Add(i);
        }
        return (targets.ToArray(), targetOf);
    }
}
