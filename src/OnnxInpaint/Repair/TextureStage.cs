using System.Diagnostics;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint.Planning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Repair;

/// <summary>
/// The texture route after the model's fill: each hole region that <see cref="RepairOptions.Fill"/> (or, in auto
/// mode, its depth) sends to texture is synthesised by <see cref="PatchSynthesis"/> inside a window of the photo
/// around it (the region's box grown by half its larger side, at least <see cref="MinMargin"/> pixels), with the model's
/// fill as the guide. Sources come from that window only: nearby texture is the likeliest to continue the photo, and
/// it bounds the cost. Only the region's own hole pixels are written.
/// </summary>
internal sealed class TextureStage(RepairOptions options)
{
    /// <summary>The least margin of known photo around a region's box that the synthesis may copy from.</summary>
    public const int MinMargin = 32;

    private readonly PatchSynthesis synthesis = new();

    /// <summary>The hole regions that get texture under the options, with the region label of each pixel.</summary>
    /// <param name="Regions">The regions to synthesise.</param>
    /// <param name="Labels">Each pixel's region id (-1: known).</param>
    public sealed record Plan(IReadOnlyList<HoleRegion> Regions, int[] Labels);

    /// <summary>Finds the regions to synthesise once per photo; every variant reuses the plan.</summary>
    public Plan Find(bool[] holes, int width, int height)
    {
        if (options.Fill == FillMode.Smooth) return new Plan([], []); // nothing to synthesise: no flood fill either
        var (regions, labels) = HoleRegions.Find(holes, width, height);
        if (regions.Count == 0) return new Plan([], labels);
        if (options.Fill == FillMode.Texture) return new Plan(regions, labels);
        int[] depth = HoleDistance.Chessboard(holes, width, height);
        var deepest = new int[regions.Count];
        for (int i = 0; i < depth.Length; i++)
            if (labels[i] >= 0) deepest[labels[i]] = Math.Max(deepest[labels[i]], depth[i]);
        return new Plan(regions.Where(r => deepest[r.Id] >= options.TextureDepth).ToList(), labels);
    }

    /// <summary>
    /// Replaces the model's fill of the plan's regions of <paramref name="repaired"/> in place; returns how many regions
    /// got texture. <paramref name="seed"/> makes the variants.
    /// </summary>
    public int Apply(Image<Rgba32> repaired, bool[] holes, Plan plan, int seed, CancellationToken cancellation, out TimeSpan elapsed)
    {
        var timer = Stopwatch.StartNew();
        foreach (HoleRegion region in plan.Regions)
        {
            cancellation.ThrowIfCancellationRequested();
            Synthesise(repaired, holes, plan.Labels, region, unchecked(seed * 65_537 + region.Id), cancellation);
        }
        elapsed = timer.Elapsed;
        return plan.Regions.Count;
    }

    private void Synthesise(Image<Rgba32> image, bool[] holes, int[] labels, HoleRegion region, int seed, CancellationToken cancellation)
    {
        Rectangle window = Window(region, image.Width, image.Height);
        int w = window.Width, h = window.Height;
        var rgb = new float[3 * w * h];
        var windowHoles = new bool[w * h];
        for (int y = 0; y < h; y++)
        {
            ReadOnlySpan<Rgba32> row = image.DangerousGetPixelRowMemory(window.Y + y).Span.Slice(window.X, w);
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                windowHoles[i] = holes[(window.Y + y) * image.Width + window.X + x];
                rgb[3 * i] = row[x].R;
                rgb[3 * i + 1] = row[x].G;
                rgb[3 * i + 2] = row[x].B;
            }
        }
        if (!synthesis.Fill(rgb, windowHoles, w, h, seed, cancellation)) return;
        for (int y = 0; y < h; y++)
        {
            Span<Rgba32> row = image.DangerousGetPixelRowMemory(window.Y + y).Span.Slice(window.X, w);
            for (int x = 0; x < w; x++)
            {
                if (labels[(window.Y + y) * image.Width + window.X + x] != region.Id) continue;
                int i = 3 * (y * w + x);
                row[x] = new Rgba32(PixelRounding.ToByte(rgb[i]), PixelRounding.ToByte(rgb[i + 1]), PixelRounding.ToByte(rgb[i + 2]), row[x].A);
            }
        }
    }

    /// <summary>The region's box grown by half its larger side (at least <see cref="MinMargin"/>), inside the image.</summary>
    private static Rectangle Window(HoleRegion region, int width, int height)
    {
        int margin = Math.Max(MinMargin, Math.Max(region.Width, region.Height) / 2);
        int left = Math.Max(0, region.Left - margin), top = Math.Max(0, region.Top - margin);
        int right = Math.Min(width, region.Right + margin), bottom = Math.Min(height, region.Bottom + margin);
        return Rectangle.FromLTRB(left, top, right, bottom);
    }
}
