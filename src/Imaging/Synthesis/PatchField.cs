using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Inpaint.Imaging.Synthesis;

/// <summary>
/// The nearest-neighbour field of one level (Barnes et al. 2009, PatchMatch): for every target, the source centre
/// whose patch looks most like the target's, and the distance between them (squared differences of colour and of the
/// weighted guide low-pass, summed over the patch pixels inside the image). Searching propagates good matches to the
/// neighbours and tries random ones in shrinking windows. The work is split into a fixed number of bands of rows,
/// each with its own seeded random numbers and propagating only inside itself, so the result depends on the seed and
/// never on the number of threads.
/// </summary>
internal sealed class PatchField
{
    private const int Bands = 8;
    private readonly SynthesisLevel level;

    private PatchField(SynthesisLevel level)
    {
        this.level = level;
        Match = new int[level.Targets.Length];
        Cost = new float[level.Targets.Length];
    }

    /// <summary>The source centre (pixel index) of each target.</summary>
    public int[] Match { get; }

    /// <summary>The distance of each target to its match, divided by the patch pixels inside the image.</summary>
    public float[] Cost { get; }

    /// <summary>A field of random valid sources.</summary>
    public static PatchField Random(SynthesisLevel level, int seed)
    {
        var field = new PatchField(level);
        var rng = new Random(seed);
        for (int t = 0; t < field.Match.Length; t++) field.Match[t] = level.Sources[rng.Next(level.Sources.Length)];
        field.Measure();
        return field;
    }

    /// <summary>The field of the level below, doubled: a target takes its parent's match moved by its place under the parent.</summary>
    public static PatchField Upsample(PatchField coarse, SynthesisLevel level, int seed)
    {
        var field = new PatchField(level);
        var rng = new Random(seed);
        SynthesisLevel below = coarse.level;
        for (int t = 0; t < field.Match.Length; t++)
        {
            int p = level.Targets[t], x = p % level.Width, y = p / level.Width;
            int cx = Math.Min(x / 2, below.Width - 1), cy = Math.Min(y / 2, below.Height - 1);
            int parent = below.TargetOf[cy * below.Width + cx];
            int q = -1;
            if (parent >= 0)
            {
                int m = coarse.Match[parent];
                int qx = 2 * (m % below.Width) + (x & 1), qy = 2 * (m / below.Width) + (y & 1);
                if (qx < level.Width && qy < level.Height && level.IsSource[qy * level.Width + qx]) q = qy * level.Width + qx;
            }
            field.Match[t] = q >= 0 ? q : level.Sources[rng.Next(level.Sources.Length)];
        }
        field.Measure();
        return field;
    }

    /// <summary>Recomputes every target's distance to its match (after the colours changed).</summary>
    public void Measure() =>
        Parallel.For(0, Match.Length, t => Cost[t] = Distance(level.Targets[t], Match[t], float.PositiveInfinity) / Pixels(level.Targets[t]));

    /// <summary>
    /// One PatchMatch pass: raster order when <paramref name="forward"/>, else reversed; random candidates within
    /// <paramref name="reach"/> pixels of the current match, then half that, down to 1.
    /// </summary>
    public void Search(int seed, bool forward, int reach)
    {
        int[] starts = BandStarts();
        Parallel.For(0, Bands, band =>
        {
            var rng = new Random(unchecked(seed * 31 + band));
            int from = starts[band], to = starts[band + 1];
            for (int k = 0; k < to - from; k++) Improve(forward ? from + k : to - 1 - k, from, to, forward, reach, rng);
        });
    }

    /// <summary>Target ordinals where each band starts, on row boundaries (targets are in raster order).</summary>
    private int[] BandStarts()
    {
        int[] targets = level.Targets;
        var starts = new int[Bands + 1];
        if (targets.Length == 0) return starts;
        int top = targets[0] / level.Width, rows = targets[^1] / level.Width - top + 1;
        for (int b = 1; b < Bands; b++)
        {
            int row = top + (int)((long)rows * b / Bands), first = Array.BinarySearch(targets, row * level.Width);
            starts[b] = Math.Max(starts[b - 1], first >= 0 ? first : ~first);
        }
        starts[Bands] = targets.Length;
        return starts;
    }

    /// <summary>Propagation from the two neighbours already visited in this pass, then random search around the best.</summary>
    private void Improve(int t, int from, int to, bool forward, int reach, Random rng)
    {
        int p = level.Targets[t], w = level.Width, h = level.Height, r = level.Radius;
        int px = p % w, py = p / w, step = forward ? 1 : -1;
        float pixels = Pixels(p);
        int best = Match[t];
        float bestCost = Cost[t] * pixels;
        if (px - step >= 0 && px - step < w) Propagate(p - step, p, from, to, ref best, ref bestCost);
        if (py - step >= 0 && py - step < h) Propagate(p - step * w, p, from, to, ref best, ref bestCost);
        for (int radius = reach; radius >= 1; radius /= 2)
        {
            int bx = best % w, by = best / w;
            int qx = Math.Clamp(bx + rng.Next(-radius, radius + 1), r, w - 1 - r);
            int qy = Math.Clamp(by + rng.Next(-radius, radius + 1), r, h - 1 - r);
            Try(qy * w + qx, ref best, ref bestCost, p);
        }
        Match[t] = best;
        Cost[t] = bestCost / pixels;
    }

    /// <summary>Tries the neighbour <paramref name="n"/>'s match, shifted as <paramref name="p"/> is from it, if <paramref name="n"/> is a target of this band.</summary>
    private void Propagate(int n, int p, int from, int to, ref int best, ref float bestCost)
    {
        int u = level.TargetOf[n];
        if (u >= from && u < to) Try(Match[u] + (p - n), ref best, ref bestCost, p);
    }

    private void Try(int q, ref int best, ref float bestCost, int p)
    {
        if (q < 0 || q >= level.IsSource.Length || q == best || !level.IsSource[q]) return;
        float cost = Distance(p, q, bestCost);
        if (cost >= bestCost) return;
        best = q;
        bestCost = cost;
    }

    /// <summary>How many of the patch's pixels around <paramref name="p"/> lie inside the image.</summary>
    private float Pixels(int p)
    {
        int w = level.Width, h = level.Height, r = level.Radius, x = p % w, y = p / w;
        int columns = Math.Min(x + r, w - 1) - Math.Max(x - r, 0) + 1, rows = Math.Min(y + r, h - 1) - Math.Max(y - r, 0) + 1;
        return columns * rows;
    }

    /// <summary>
    /// The patch distance of target centre <paramref name="p"/> and source centre <paramref name="q"/> (whose patch is
    /// inside the image), stopping early once a row's sum reaches <paramref name="limit"/>.
    /// </summary>
    private float Distance(int p, int q, float limit)
    {
        int w = level.Width, h = level.Height, r = level.Radius;
        int px = p % w, py = p / w, qx = q % w, qy = q / w;
        int x0 = Math.Max(-r, -px), x1 = Math.Min(r, w - 1 - px);
        ref float features = ref MemoryMarshal.GetArrayDataReference(level.Features);
        float sum = 0;
        for (int dy = -r; dy <= r; dy++)
        {
            int ty = py + dy;
            if ((uint)ty >= (uint)h) continue;
            int a = SynthesisLevel.Stride * (ty * w + px), b = SynthesisLevel.Stride * ((qy + dy) * w + qx);
            Vector256<float> acc = Vector256<float>.Zero;
            for (int dx = x0; dx <= x1; dx++)
            {
                Vector256<float> d = Vector256.LoadUnsafe(ref Unsafe.Add(ref features, a + SynthesisLevel.Stride * dx))
                                     - Vector256.LoadUnsafe(ref Unsafe.Add(ref features, b + SynthesisLevel.Stride * dx));
                acc += d * d;
            }
            sum += Vector256.Sum(acc);
            if (sum >= limit) return sum;
        }
        return sum;
    }
}
