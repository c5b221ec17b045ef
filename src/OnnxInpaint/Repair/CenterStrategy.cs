using System.Diagnostics;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The center family's strategy: repairs photos of any size with an "inpaint/1" center model: hole pixels are grouped into regions,
/// each region gets context windows (see <see cref="WindowPlanner"/>) sampled from the photo with every hole
/// pre-filled smoothly, windows are scaled to the model's size and inpainted in batches, and the generated
/// centres are scaled back and written into the hole pixels only, blended across cell seams. Every pixel
/// that is not a hole, alpha included, is copied unchanged.
/// </summary>
internal sealed class CenterStrategy : IRepairStrategy
{
    private readonly IInpaintRunner model;
    private readonly RepairOptions options;

    public CenterStrategy(IInpaintRunner model, RepairOptions options)
    {
        this.model = model;
        this.options = options;
    }

    public Image<Rgba32> Repair(Image<Rgba32> photo, bool[] holeFlags, out RepairReport report, IProgress<RepairProgress>? progress, CancellationToken cancellation)
    {
        var timer = Stopwatch.StartNew();
        int width = photo.Width, height = photo.Height;
        int grouping = options.GroupDistance >= 0 ? options.GroupDistance : Math.Max(1, model.Contract.BlankSize / 8);
        var (regions, labels) = HoleRegions.Find(holeFlags, width, height, grouping);
        var output = photo.Clone();
        if (regions.Count == 0)
        {
            report = new RepairReport();
            return output;
        }
        int s = model.Contract.ImageSize;
        var windows = WindowPlanner.Plan(regions, labels, width, s, model.Contract.BlankSize, options);
        var io = new Windows(model.Contract, PushPullFill.Fill(RgbPlanes.From(photo), holeFlags), holeFlags, labels);
        var stats = new RepairStatistics { Tiles = windows.Count, Regions = regions.Count, Planning = timer.Elapsed };
        int batchSize = options.BatchSize > 0 ? options.BatchSize : model.PreferredBatchSize;
        TileLoop.Run(model, windows, s, s, batchSize, io, stats, progress, cancellation);
        long t = Stopwatch.GetTimestamp();
        io.WriteHoles(output);
        stats.Pasting += Stopwatch.GetElapsedTime(t);
        report = stats.Report(io.HoleCount);
        return output;
    }

    /// <summary>
    /// The windows' inputs and outputs: each window samples the photo with every hole pre-filled smoothly and asks for
    /// its whole centre patch; its output is added, weighted, into accumulators kept for hole pixels only, which are
    /// written into the photo at the end (blending the windows of neighbouring cells).
    /// </summary>
    private sealed class Windows : ITileIo<RepairWindow>
    {
        private readonly RgbPlanes context;
        private readonly bool[] holes;
        private readonly int[] labels, slot;
        private readonly float[] sums, weights;
        private readonly int size;
        private readonly CenterSquare patch;

        public Windows(ModelContract contract, RgbPlanes context, bool[] holes, int[] labels)
        {
            this.context = context;
            this.holes = holes;
            this.labels = labels;
            size = contract.ImageSize;
            patch = CenterSquare.In(size, contract.HoleSize);
            slot = new int[holes.Length];
            for (int i = 0; i < slot.Length; i++) slot[i] = holes[i] ? HoleCount++ : -1;
            sums = new float[3 * HoleCount];
            weights = new float[HoleCount];
        }

        /// <summary>Hole pixels of the photo.</summary>
        public int HoleCount { get; }

        public void Cut(RepairWindow window, Span<float> rgb, Span<float> mask)
        {
            SampleWindow(context, window, size, rgb);
            // The whole centre patch is requested; only hole pixels of the photo are taken from it.
            mask.Clear();
            for (int y = patch.Top; y < patch.Bottom; y++) mask.Slice(y * size + patch.Left, patch.Side).Fill(255f);
        }

        public void Paste(RepairWindow window, ReadOnlySpan<float> generated) =>
            CenterStrategy.Paste(window, labels, slot, context.Width, context.Height, generated, size, sums, weights);

        public void WriteHoles(Image<Rgba32> output) => CenterStrategy.WriteHoles(output, holes, slot, sums, weights, context);
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
                row[x] = new Rgba32(PixelRounding.ToByte(r), PixelRounding.ToByte(g), PixelRounding.ToByte(b), row[x].A);
            }
        }
    }
}
