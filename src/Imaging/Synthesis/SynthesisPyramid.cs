namespace Inpaint.Imaging.Synthesis;

/// <summary>
/// Halvings of the guide (the smooth repair: the photo where known) and of the holes: a coarse pixel is the mean of
/// the 2x2 below it and a hole where any of them is, so source patches at every level are made of known pixels only.
/// Also the bilinear doubling that carries a level's result up to the next.
/// </summary>
internal static class SynthesisPyramid
{
    /// <summary>Levels finest first: (colours, holes, width, height).</summary>
    public static List<(float[] Colours, bool[] Holes, int Width, int Height)> Build(float[] rgb, bool[] holes, int width, int height, int levels)
    {
        var pyramid = new List<(float[], bool[], int, int)> { (rgb, holes, width, height) };
        for (int l = 1; l < levels; l++)
        {
            var (c, hl, w, h) = pyramid[^1];
            pyramid.Add(Half(c, hl, w, h));
        }
        return pyramid;
    }

    /// <summary>How many levels a hole as deep as <paramref name="deepest"/> needs so that, at the coarsest, it is at most <paramref name="coarsestDepth"/> pixels deep.</summary>
    public static int Levels(int deepest, int width, int height, int coarsestDepth, int patch)
    {
        int levels = 1;
        while (deepest > coarsestDepth && Math.Min(width, height) / 2 >= 4 * patch)
        {
            deepest = (deepest + 1) / 2;
            width /= 2;
            height /= 2;
            levels++;
        }
        return levels;
    }

    private static (float[] Colours, bool[] Holes, int Width, int Height) Half(float[] rgb, bool[] holes, int width, int height)
    {
        int w = (width + 1) / 2, h = (height + 1) / 2;
        var colours = new float[3 * w * h];
        var coarseHoles = new bool[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int n = 0;
                bool hole = false;
                float r = 0, g = 0, b = 0;
                for (int sy = 2 * y; sy < Math.Min(height, 2 * y + 2); sy++)
                    for (int sx = 2 * x; sx < Math.Min(width, 2 * x + 2); sx++)
                    {
                        int i = sy * width + sx;
                        hole |= holes[i];
                        r += rgb[3 * i]; g += rgb[3 * i + 1]; b += rgb[3 * i + 2];
                        n++;
                    }
                int o = y * w + x;
                coarseHoles[o] = hole;
                colours[3 * o] = r / n; colours[3 * o + 1] = g / n; colours[3 * o + 2] = b / n;
            }
        return (colours, coarseHoles, w, h);
    }

    /// <summary>Bilinear doubling (half-pixel centres, edges replicated) of a coarse level's colours to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static float[] Double(float[] coarse, int cw, int ch, int width, int height)
    {
        var rgb = new float[3 * width * height];
        for (int y = 0; y < height; y++)
        {
            float v = Math.Clamp((y + 0.5f) / 2f - 0.5f, 0, ch - 1);
            int v0 = (int)v, v1 = Math.Min(v0 + 1, ch - 1);
            float fv = v - v0;
            for (int x = 0; x < width; x++)
            {
                float u = Math.Clamp((x + 0.5f) / 2f - 0.5f, 0, cw - 1);
                int u0 = (int)u, u1 = Math.Min(u0 + 1, cw - 1);
                float fu = u - u0;
                for (int c = 0; c < 3; c++)
                {
                    float top = coarse[3 * (v0 * cw + u0) + c] * (1 - fu) + coarse[3 * (v0 * cw + u1) + c] * fu;
                    float bottom = coarse[3 * (v1 * cw + u0) + c] * (1 - fu) + coarse[3 * (v1 * cw + u1) + c] * fu;
                    rgb[3 * (y * width + x) + c] = top * (1 - fv) + bottom * fv;
                }
            }
        }
        return rgb;
    }
}
