namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// A fast, smooth fill of every hole pixel from its surroundings (push-pull: average the known pixels down a
/// pyramid, then pull values back up into the holes). It gives each model window clean context where other
/// holes lie around it, instead of the damage itself; it is never the final value of a pixel the model reaches.
/// </summary>
internal static class PushPullFill
{
    /// <summary>Returns a copy of <paramref name="image"/> with the holes filled.</summary>
    public static RgbPlanes Fill(RgbPlanes image, bool[] holes)
    {
        var result = new RgbPlanes(image.Width, image.Height);
        Array.Copy(image.Data, result.Data, image.Data.Length);
        if (!holes.Contains(true)) return result;
        if (!holes.Contains(false))
        {
            Array.Fill(result.Data, PixelNormalisation.HalfRange); // nothing known: mid grey
            return result;
        }
        var weights = new float[holes.Length];
        for (int i = 0; i < holes.Length; i++) weights[i] = holes[i] ? 0f : 1f;
        Fill(result.Data, weights, image.Width, image.Height);
        return result;
    }

    /// <summary>Fills in place where weight is 0, for 3 planes of width x height.</summary>
    private static void Fill(float[] values, float[] weights, int width, int height)
    {
        if (width == 1 && height == 1) return;
        int cw = (width + 1) / 2, ch = (height + 1) / 2, plane = width * height, cplane = cw * ch;
        var coarse = new float[3 * cplane];
        var coarseWeights = new float[cplane];
        bool anyHole = false;
        for (int y = 0; y < ch; y++)
            for (int x = 0; x < cw; x++)
            {
                float sw = 0, r = 0, g = 0, b = 0;
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int sx = 2 * x + dx, sy = 2 * y + dy;
                        if (sx >= width || sy >= height) continue;
                        int i = sy * width + sx;
                        float w = weights[i];
                        sw += w;
                        r += w * values[i];
                        g += w * values[plane + i];
                        b += w * values[2 * plane + i];
                    }
                int j = y * cw + x;
                if (sw > 0)
                {
                    coarse[j] = r / sw;
                    coarse[cplane + j] = g / sw;
                    coarse[2 * cplane + j] = b / sw;
                    coarseWeights[j] = 1f;
                }
                else
                {
                    anyHole = true;
                }
            }
        if (anyHole) Fill(coarse, coarseWeights, cw, ch);
        // Pull: hole pixels take the bilinear value of the coarser level.
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (weights[i] > 0) continue;
                float fx = Math.Clamp((x - 0.5f) / 2f, 0, cw - 1), fy = Math.Clamp((y - 0.5f) / 2f, 0, ch - 1);
                int x0 = (int)fx, y0 = (int)fy, x1 = Math.Min(x0 + 1, cw - 1), y1 = Math.Min(y0 + 1, ch - 1);
                float ax = fx - x0, ay = fy - y0;
                for (int c = 0; c < 3; c++)
                {
                    int o = c * cplane;
                    float top = coarse[o + y0 * cw + x0] * (1 - ax) + coarse[o + y0 * cw + x1] * ax;
                    float bottom = coarse[o + y1 * cw + x0] * (1 - ax) + coarse[o + y1 * cw + x1] * ax;
                    values[c * plane + i] = top * (1 - ay) + bottom * ay;
                }
            }
    }
}
