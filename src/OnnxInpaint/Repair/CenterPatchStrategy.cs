using System.Diagnostics;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The centre-patch family's strategy: repairs photos of any size with an "inpaint/1" centre-patch model: hole pixels are grouped into regions,
/// each region gets context windows (see <see cref="WindowPlanner"/>) sampled from the photo with every hole
/// pre-filled smoothly, windows are scaled to the model's size and inpainted in batches, and the generated
/// centres are scaled back and written into the hole pixels only, blended across cell seams. Every pixel
/// that is not a hole, alpha included, is copied unchanged.
/// </summary>
internal sealed class CenterPatchStrategy : IRepairStrategy
{
    private readonly IInpaintRunner model;
    private readonly RepairOptions options;

    public CenterPatchStrategy(IInpaintRunner model, RepairOptions options)
    {
        this.model = model;
        this.options = options;
    }

    public Image<Rgba32> Repair(Image<Rgba32> photo, bool[] holeFlags, out RepairReport report, IProgress<RepairProgress>? progress, CancellationToken cancellation)
    {
        var holes = new HoleMap(photo.Width, photo.Height, holeFlags, MaskSource.Luminance);
        var timer = Stopwatch.StartNew();
        int width = photo.Width, height = photo.Height;
        int grouping = options.Dilation >= 0 ? options.Dilation : Math.Max(1, model.Contract.BlankSize / 8);
        var (regions, labels) = HoleRegions.Find(holes.Holes, width, height, grouping);
        var output = photo.Clone();
        if (regions.Count == 0)
        {
            report = new RepairReport();
            return output;
        }
        int s = model.Contract.ImageSize;
        var windows = WindowPlanner.Plan(regions, labels, width, s, model.Contract.BlankSize, options.Planner);
        RgbPlanes context = PushPullFill.Fill(RgbPlanes.From(photo), holes.Holes);
        TimeSpan planning = timer.Elapsed;

        // Accumulators for hole pixels only.
        var slot = new int[width * height];
        int holeCount = 0;
        for (int i = 0; i < slot.Length; i++) slot[i] = holes.Holes[i] ? holeCount++ : -1;
        var sums = new float[3 * holeCount];
        var weights = new float[holeCount];

        int batchSize = options.BatchSize > 0 ? options.BatchSize : model.PreferredBatchSize;
        int plane = s * s, corner = (s - model.Contract.HoleSize) / 2;
        var image = new float[batchSize * 3 * plane];
        var mask = new float[batchSize * plane];
        var result = new float[batchSize * 3 * plane];
        TimeSpan inference = TimeSpan.Zero, pasting = TimeSpan.Zero;
        int batches = 0;
        for (int start = 0; start < windows.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, windows.Count - start);
            var t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation }, k =>
                SampleWindow(context, windows[start + k], s, image.AsSpan(k * 3 * plane, 3 * plane)));
            // The whole centre patch is requested; only hole pixels of the photo are taken from it below.
            mask.AsSpan(0, n * plane).Clear();
            for (int k = 0; k < n; k++)
                for (int y = corner; y < corner + model.Contract.HoleSize; y++)
                    mask.AsSpan(k * plane + y * s + corner, model.Contract.HoleSize).Fill(255f);
            model.Run(image, mask, result, n, s, s, cancellation);
            batches++;
            var t1 = Stopwatch.GetTimestamp();
            for (int k = 0; k < n; k++)
                Paste(windows[start + k], labels, slot, width, height, result.AsSpan(k * 3 * plane, 3 * plane), s, sums, weights);
            var t2 = Stopwatch.GetTimestamp();
            inference += Stopwatch.GetElapsedTime(t0, t1);
            pasting += Stopwatch.GetElapsedTime(t1, t2);
            progress?.Report(new RepairProgress(start + n, windows.Count));
        }

        var t3 = Stopwatch.GetTimestamp();
        WriteHoles(output, holes.Holes, slot, sums, weights, context);
        pasting += Stopwatch.GetElapsedTime(t3);
        report = new RepairReport
        {
            HolePixels = holeCount, Regions = regions.Count, Windows = windows.Count, Batches = batches,
            Planning = planning, Inference = inference, Pasting = pasting,
        };
        return output;
    }

    /// <summary>Samples the window into a [3,S,S] model input (0..255), averaging sub-samples when shrinking.</summary>
    internal static void SampleWindow(RgbPlanes source, RepairWindow window, int s, Span<float> destination)
    {
        double step = window.WindowSide / s;
        int sub = Math.Clamp((int)Math.Ceiling(step), 1, 8);
        double subStep = step / sub;
        float norm = 1f / (sub * sub);
        for (int v = 0; v < s; v++)
            for (int u = 0; u < s; u++)
            {
                float r = 0, g = 0, b = 0;
                for (int j = 0; j < sub; j++)
                {
                    float y = (float)(window.WindowY + v * step + (j + 0.5) * subStep - 0.5);
                    for (int i = 0; i < sub; i++)
                    {
                        float x = (float)(window.WindowX + u * step + (i + 0.5) * subStep - 0.5);
                        var (sr, sg, sb) = source.Sample(x, y);
                        r += sr;
                        g += sg;
                        b += sb;
                    }
                }
                int o = v * s + u;
                destination[o] = r * norm;
                destination[s * s + o] = g * norm;
                destination[2 * s * s + o] = b * norm;
            }
    }

    /// <summary>Adds the window's generated values, weighted, to the hole pixels of its region inside its cell.</summary>
    private static void Paste(RepairWindow window, int[] labels, int[] slot, int width, int height, ReadOnlySpan<float> generated, int s,
        float[] sums, float[] weights)
    {
        double scale = s / window.WindowSide;
        int plane = s * s;
        for (int y = Math.Max(0, window.Top); y < Math.Min(height, window.Bottom); y++)
            for (int x = Math.Max(0, window.Left); x < Math.Min(width, window.Right); x++)
            {
                int i = y * width + x;
                if (labels[i] != window.Region) continue;
                float w = window.Weight(x, y);
                float u = (float)((x + 0.5 - window.WindowX) * scale - 0.5), v = (float)((y + 0.5 - window.WindowY) * scale - 0.5);
                u = Math.Clamp(u, 0, s - 1);
                v = Math.Clamp(v, 0, s - 1);
                int u0 = (int)u, v0 = (int)v, u1 = Math.Min(u0 + 1, s - 1), v1 = Math.Min(v0 + 1, s - 1);
                float fu = u - u0, fv = v - v0;
                int k = slot[i];
                for (int c = 0; c < 3; c++)
                {
                    int o = c * plane;
                    float top = generated[o + v0 * s + u0] * (1 - fu) + generated[o + v0 * s + u1] * fu;
                    float bottom = generated[o + v1 * s + u0] * (1 - fu) + generated[o + v1 * s + u1] * fu;
                    sums[3 * k + c] += w * (top * (1 - fv) + bottom * fv);
                }
                weights[k] += w;
            }
    }

    private static void WriteHoles(Image<Rgba32> output, bool[] holes, int[] slot, float[] sums, float[] weights, RgbPlanes context)
    {
        int width = output.Width, plane = context.Plane;
        for (int y = 0; y < output.Height; y++)
        {
            Span<Rgba32> row = output.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (!holes[i]) continue;
                int k = slot[i];
                float w = weights[k];
                // A hole pixel no window reached (none should) keeps the smooth context fill.
                float r = w > 0 ? sums[3 * k] / w : context.Data[i];
                float g = w > 0 ? sums[3 * k + 1] / w : context.Data[plane + i];
                float b = w > 0 ? sums[3 * k + 2] / w : context.Data[2 * plane + i];
                row[x] = new Rgba32(ToByte(r), ToByte(g), ToByte(b), row[x].A);
            }
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
}
