namespace Inpaint.Imaging.Synthesis;

/// <summary>
/// The first fill of the coarsest level, from the hole's edge inwards: each hole pixel, nearest the known pixels
/// first, takes the centre colour of the source patch that best matches what is already known or filled around it
/// (and the guide's low-pass everywhere). Started from the smooth guide instead, the search would prefer flat source
/// patches (a blurred target is closest to a flat one) and never leave them; peeled, the hole starts textured and the
/// rounds only refine it.
/// </summary>
internal static class OnionPeel
{
    // Above this many (hole pixel x source) pairs, each pixel tries a random sample of sources plus its neighbours' matches.
    private const long ExhaustiveBudget = 20_000_000;
    private const int SampledSources = 1024;

    /// <summary>Sets the colours of the level's hole pixels, peeling inwards.</summary>
    public static void Fill(SynthesisLevel level, int seed)
    {
        int w = level.Width, h = level.Height, n = w * h;
        int[] distance = HoleDistance.Chessboard(level.Holes, w, h);
        int[] order = Enumerable.Range(0, n).Where(i => level.Holes[i]).OrderBy(i => distance[i]).ThenBy(i => i).ToArray();
        var filled = new bool[n];
        for (int i = 0; i < n; i++) filled[i] = !level.Holes[i];
        var matched = new int[n];
        Array.Fill(matched, -1);
        bool exhaustive = (long)order.Length * level.Sources.Length <= ExhaustiveBudget;
        var rng = new Random(seed);
        foreach (int p in order)
        {
            int q = exhaustive ? BestOfAll(level, filled, p) : BestOfSample(level, filled, matched, p, rng);
            for (int c = 0; c < 3; c++) level.Features[SynthesisLevel.Stride * p + c] = level.Features[SynthesisLevel.Stride * q + c];
            filled[p] = true;
            matched[p] = q;
        }
    }

    private static int BestOfAll(SynthesisLevel level, bool[] filled, int p)
    {
        int best = level.Sources[0];
        float bestCost = float.PositiveInfinity;
        foreach (int q in level.Sources)
        {
            float cost = Distance(level, filled, p, q, bestCost);
            if (cost < bestCost) (best, bestCost) = (q, cost);
        }
        return best;
    }

    private static int BestOfSample(SynthesisLevel level, bool[] filled, int[] matched, int p, Random rng)
    {
        int w = level.Width, best = level.Sources[rng.Next(level.Sources.Length)];
        float bestCost = Distance(level, filled, p, best, float.PositiveInfinity);
        void Try(int q)
        {
            if (q < 0 || q >= level.IsSource.Length || !level.IsSource[q]) return;
            float cost = Distance(level, filled, p, q, bestCost);
            if (cost < bestCost) (best, bestCost) = (q, cost);
        }
        for (int k = 0; k < SampledSources; k++) Try(level.Sources[rng.Next(level.Sources.Length)]);
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                int nb = p + dy * w + dx;
                if (nb >= 0 && nb < matched.Length && matched[nb] >= 0) Try(matched[nb] - dy * w - dx);
            }
        return best;
    }

    /// <summary>Squared differences over the patch: colours where the target is known or filled, the guide lanes everywhere.</summary>
    private static float Distance(SynthesisLevel level, bool[] filled, int p, int q, float limit)
    {
        int w = level.Width, h = level.Height, r = level.Radius, s = SynthesisLevel.Stride;
        int px = p % w, py = p / w, qx = q % w, qy = q / w;
        float[] f = level.Features;
        float sum = 0;
        for (int dy = -r; dy <= r; dy++)
        {
            int ty = py + dy;
            if ((uint)ty >= (uint)h) continue;
            for (int dx = -r; dx <= r; dx++)
            {
                int tx = px + dx;
                if ((uint)tx >= (uint)w) continue;
                int a = s * (ty * w + tx), b = s * ((qy + dy) * w + qx + dx);
                int first = filled[ty * w + tx] ? 0 : 3;
                for (int c = first; c < 6; c++)
                {
                    float d = f[a + c] - f[b + c];
                    sum += d * d;
                }
            }
            if (sum >= limit) return sum;
        }
        return sum;
    }
}
