using System.Diagnostics;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>How a family turns one planned tile into model inputs and the model's output back into the photo.</summary>
/// <typeparam name="TTile">What the family plans: a context window, a grid cell...</typeparam>
internal interface ITileIo<in TTile>
{
    /// <summary>Writes the tile's model inputs: RGB [3,H,W] and mask [1,H,W], 0..255. Called from several threads at once.</summary>
    void Cut(TTile tile, Span<float> rgb, Span<float> mask);

    /// <summary>Takes the model's output for the tile, RGB [3,H,W] 0..255. Called in plan order, one at a time.</summary>
    void Paste(TTile tile, ReadOnlySpan<float> generated);
}

/// <summary>Counts and times of one repair, across the scales a freeform repair may visit.</summary>
internal sealed class RepairStatistics
{
    public int Tiles, Batches, Regions, Done, Scales = 1;
    public TimeSpan Planning, Inference, Pasting;

    /// <summary>The report of a repair of <paramref name="holePixels"/> hole pixels.</summary>
    public RepairReport Report(int holePixels) => new()
    {
        HolePixels = holePixels, Regions = Regions, Windows = Tiles, Batches = Batches, Planning = Planning,
        Inference = Inference, Pasting = Pasting, Scales = Scales,
    };
}

/// <summary>
/// The plan -> cut -> run -> paste loop every family's strategy shares: tiles of one size go to the model in batches
/// (cut, and pre-filled where the model takes its pre-fill from the caller, in parallel; pasted in order), with timings,
/// progress and cancellation between batches. A family supplies only its plan and its <see cref="ITileIo{TTile}"/>.
/// </summary>
internal static class TileLoop
{
    public static void Run<TTile>(IInpaintRunner model, IReadOnlyList<TTile> tiles, int height, int width, int batchSize, ITileIo<TTile> io,
        RepairStatistics stats, IProgress<RepairProgress>? progress, CancellationToken cancellation)
    {
        int plane = height * width, batch = Math.Max(1, Math.Min(batchSize, tiles.Count));
        TilePrefill? prefill = TilePrefill.For(model.Contract);
        var rgb = new float[batch * 3 * plane];
        var mask = new float[batch * plane];
        var prefilled = prefill is null ? [] : new float[batch * 3 * plane];
        var result = new float[batch * 3 * plane];
        for (int start = 0; start < tiles.Count; start += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(batch, tiles.Count - start);
            long t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation }, k =>
            {
                Span<float> tileRgb = rgb.AsSpan(k * 3 * plane, 3 * plane), tileMask = mask.AsSpan(k * plane, plane);
                io.Cut(tiles[start + k], tileRgb, tileMask);
                prefill?.Fill(tileRgb, tileMask, prefilled.AsSpan(k * 3 * plane, 3 * plane), height, width);
            });
            if (prefill is null) model.Run(rgb, mask, result, n, height, width, cancellation);
            else model.RunPrefilled(rgb, prefilled, mask, result, n, height, width, cancellation);
            long t1 = Stopwatch.GetTimestamp();
            for (int k = 0; k < n; k++) io.Paste(tiles[start + k], result.AsSpan(k * 3 * plane, 3 * plane));
            stats.Batches++;
            stats.Inference += Stopwatch.GetElapsedTime(t0, t1);
            stats.Pasting += Stopwatch.GetElapsedTime(t1);
            stats.Done += n;
            progress?.Report(new RepairProgress(stats.Done, stats.Tiles));
        }
    }
}
