namespace Inpaint.Imaging;

/// <summary>
/// The freeform family's classical pre-fill (<see cref="PrefillSpec"/>, kind <c>multigrid_harmonic</c>) in managed code:
/// the same steps, in the same order, as the TorchSharp module and the ONNX graph (HarmonicPrefill, FreeformGraph), so
/// its values agree with theirs to float rounding. The trainer runs it on the batch-making thread and the runtime on
/// each tile before the U-Net, instead of the graph's hundreds of small nodes.
/// <list type="number">
/// <item>Push: colour * known and known are averaged 2x2 (ceil mode: a window half outside averages what is inside)
/// <see cref="PrefillSpec.Levels"/> times.</item>
/// <item>The coarsest level takes each cell's known mean, or the image's mean known colour where nothing is known.</item>
/// <item>Pull, coarse to fine: bilinear upsampling (half-pixel centres), fully known cells keep their own mean, the
/// others relax towards the mean of their 4 neighbours (edges replicated): red-black over-relaxation, or Jacobi.</item>
/// </list>
/// Known pixels come out as they went in. The fill is affine-invariant (every step averages), so values may be in
/// any range: the trainer's -1..1 or a photo's 0..255. Cost: the pyramid is linear in the pixels, the sweeps in the
/// hole pixels only (fully known cells are never visited).
/// </summary>
public sealed class HarmonicFill
{
    /// <summary>A cell counts as fully known when its known share is at least this (the graph's threshold).</summary>
    public const float FullyKnown = 1f - 1e-6f;

    /// <summary>Smallest weight divided by (a cell with no known pixel has colour = weight = 0 and is not used).</summary>
    public const float TinyWeight = 1e-12f;

    private readonly PrefillSpec spec;

    /// <summary>Creates the fill a spec describes.</summary>
    /// <exception cref="InvalidDataException">The spec is not a valid pre-fill.</exception>
    public HarmonicFill(PrefillSpec spec)
    {
        spec.Validate();
        this.spec = spec;
    }

    /// <summary>
    /// Fills the holes of one planar image (<paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>)
    /// where <paramref name="holes"/> is true, writing the result to <paramref name="output"/> (which may be the image itself).
    /// </summary>
    /// <param name="image">Planar values in any range.</param>
    /// <param name="holes">True where a pixel is to be filled.</param>
    /// <param name="channels">Channels of the image.</param>
    /// <param name="height">Height.</param>
    /// <param name="width">Width.</param>
    /// <param name="output">The filled image.</param>
    /// <param name="nothingKnown">
    /// Every pixel's value when no pixel at all is known: 0 is the network's mid grey, as the graph gives; a caller
    /// filling 0..255 values passes 127.5 (<see cref="PixelNormalisation.HalfRange"/>) for the same result.
    /// </param>
    public void Fill(ReadOnlySpan<float> image, ReadOnlySpan<bool> holes, int channels, int height, int width, Span<float> output, float nothingKnown = 0f)
    {
        int plane = height * width;
        if (holes.Length < plane || image.Length < channels * plane || output.Length < channels * plane)
            throw new ArgumentException($"buffers are too small for {channels}x{height}x{width}");
        var levels = Pyramid(image, holes, channels, height, width);
        float[] mean = KnownMean(levels[0], channels, nothingKnown);
        float[] u = Coarsest(levels[^1], channels, mean);
        for (int l = levels.Count - 1; l >= 0; l--)
        {
            Level level = levels[l];
            u = l < levels.Count - 1 ? Pull(u, levels[l + 1], level, channels) : KeepKnown(u, level, channels);
            Relax(u, level, channels, spec.SweepsAt(l));
        }
        image[..(channels * plane)].CopyTo(output);
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < plane; p++)
                if (holes[p]) output[c * plane + p] = u[c * plane + p];
    }

    /// <summary>One level of the pyramid: premultiplied colour (channels x plane), known weight, and the cells that move.</summary>
    private sealed class Level(int width, int height, float[] colour, float[] weight)
    {
        public int Width { get; } = width;
        public int Height { get; } = height;
        public int Plane => Width * Height;
        public float[] Colour { get; } = colour;
        public float[] Weight { get; } = weight;

        /// <summary>The cells that are not fully known, split by the parity of x + y (red: even).</summary>
        public (int[] Red, int[] Black) Free()
        {
            var red = new List<int>();
            var black = new List<int>();
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                {
                    int i = y * Width + x;
                    if (Weight[i] >= FullyKnown) continue;
                    ((x + y) % 2 == 0 ? red : black).Add(i);
                }
            return (red.ToArray(), black.ToArray());
        }

        /// <summary>A cell's own known mean in channel <paramref name="c"/>.</summary>
        public float Own(int c, int i) => Colour[c * Plane + i] / MathF.Max(Weight[i], TinyWeight);
    }

    private List<Level> Pyramid(ReadOnlySpan<float> image, ReadOnlySpan<bool> holes, int channels, int height, int width)
    {
        int plane = height * width;
        var colour = new float[channels * plane];
        var weight = new float[plane];
        for (int p = 0; p < plane; p++) weight[p] = holes[p] ? 0f : 1f;
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < plane; p++) colour[c * plane + p] = image[c * plane + p] * weight[p];
        var levels = new List<Level> { new(width, height, colour, weight) };
        for (int l = 1; l <= spec.Levels; l++) levels.Add(Pool(levels[^1], channels));
        return levels;
    }

    /// <summary>2x2 average pooling in ceil mode, counting only the window's cells inside the level.</summary>
    private static Level Pool(Level fine, int channels)
    {
        int w = (fine.Width + 1) / 2, h = (fine.Height + 1) / 2;
        var weight = new float[w * h];
        PoolPlane(fine.Weight, 0, fine.Width, fine.Height, weight, 0, w, h);
        var colour = new float[channels * w * h];
        for (int c = 0; c < channels; c++) PoolPlane(fine.Colour, c * fine.Plane, fine.Width, fine.Height, colour, c * w * h, w, h);
        return new Level(w, h, colour, weight);
    }

    /// <summary>One plane's pooling: the window's values summed row by row, then divided by how many there are (as the graph's AveragePool).</summary>
    private static void PoolPlane(float[] source, int from, int width, int height, float[] target, int to, int w, int h)
    {
        for (int y = 0; y < h; y++)
        {
            int r0 = from + 2 * y * width;
            bool twoRows = 2 * y + 1 < height;
            for (int x = 0; x < w; x++)
            {
                int i = r0 + 2 * x;
                bool twoColumns = 2 * x + 1 < width;
                float sum = source[i];
                if (twoColumns) sum += source[i + 1];
                if (twoRows)
                {
                    sum += source[i + width];
                    if (twoColumns) sum += source[i + width + 1];
                }
                target[to + y * w + x] = sum / ((twoRows ? 2 : 1) * (twoColumns ? 2 : 1));
            }
        }
    }

    /// <summary>The mean known colour per channel: the value of coarse cells with nothing known under them.</summary>
    private static float[] KnownMean(Level full, int channels, float nothingKnown)
    {
        double known = 0;
        foreach (float w in full.Weight) known += w;
        var mean = new float[channels];
        if (known == 0)
        {
            Array.Fill(mean, nothingKnown);
            return mean;
        }
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int p = 0; p < full.Plane; p++) sum += full.Colour[c * full.Plane + p];
            mean[c] = (float)sum / MathF.Max((float)known, TinyWeight);
        }
        return mean;
    }

    private static float[] Coarsest(Level level, int channels, float[] mean)
    {
        var u = new float[channels * level.Plane];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < level.Plane; i++)
                u[c * level.Plane + i] = level.Weight[i] > 0 ? level.Own(c, i) : mean[c];
        return u;
    }

    /// <summary>
    /// A pull step: each cell of the finer level <paramref name="to"/> takes its own known mean where it is fully known,
    /// else the bilinear upsampling (half-pixel centres: PyTorch's align_corners=False, ONNX's half_pixel) of the coarser
    /// solution. Only the cells that are not fully known are interpolated: the others would be replaced anyway.
    /// </summary>
    private static float[] Pull(float[] coarse, Level from, Level to, int channels)
    {
        var u = new float[channels * to.Plane];
        float scaleY = (float)from.Height / to.Height, scaleX = (float)from.Width / to.Width;
        for (int y = 0; y < to.Height; y++)
        {
            var (y0, y1, fy) = Source(y, scaleY, from.Height);
            for (int x = 0; x < to.Width; x++)
            {
                int i = y * to.Width + x;
                if (to.Weight[i] >= FullyKnown)
                {
                    for (int c = 0; c < channels; c++) u[c * to.Plane + i] = to.Own(c, i);
                    continue;
                }
                var (x0, x1, fx) = Source(x, scaleX, from.Width);
                for (int c = 0; c < channels; c++)
                {
                    int o = c * from.Plane;
                    float top = (1 - fx) * coarse[o + y0 * from.Width + x0] + fx * coarse[o + y0 * from.Width + x1];
                    float bottom = (1 - fx) * coarse[o + y1 * from.Width + x0] + fx * coarse[o + y1 * from.Width + x1];
                    u[c * to.Plane + i] = (1 - fy) * top + fy * bottom;
                }
            }
        }
        return u;
    }

    private static (int Low, int High, float Fraction) Source(int target, float scale, int size)
    {
        float source = MathF.Max(scale * (target + 0.5f) - 0.5f, 0f);
        int low = Math.Min((int)source, size - 1);
        return (low, Math.Min(low + 1, size - 1), source - low);
    }

    /// <summary>The coarsest level's solution with its fully known cells at their own means.</summary>
    private static float[] KeepKnown(float[] u, Level level, int channels)
    {
        for (int i = 0; i < level.Plane; i++)
            if (level.Weight[i] >= FullyKnown)
                for (int c = 0; c < channels; c++) u[c * level.Plane + i] = level.Own(c, i);
        return u;
    }

    private void Relax(float[] u, Level level, int channels, int sweeps)
    {
        if (sweeps == 0) return;
        var (red, black) = level.Free();
        if (red.Length + black.Length == 0) return;
        Stencil redCells = Stencil.Of(red, level.Width, level.Height), blackCells = Stencil.Of(black, level.Width, level.Height);
        for (int c = 0; c < channels; c++)
        {
            var values = u.AsSpan(c * level.Plane, level.Plane);
            if (spec.Omega > 0) OverRelax(values, redCells, blackCells, (float)spec.Omega, sweeps);
            else Jacobi(values, Stencil.Of([.. red, .. black], level.Width, level.Height), sweeps);
        }
    }

    /// <summary>
    /// Cells and the indices of their 4 neighbours, edges replicated (a missing neighbour is the cell itself), worked out
    /// once per level so that a sweep is a plain loop over arrays.
    /// </summary>
    private sealed record Stencil(int[] Cells, int[] Up, int[] Left, int[] Right, int[] Down)
    {
        public static Stencil Of(int[] cells, int width, int height)
        {
            int n = cells.Length;
            int[] up = new int[n], left = new int[n], right = new int[n], down = new int[n];
            for (int k = 0; k < n; k++)
            {
                int i = cells[k], x = i % width, y = i / width;
                up[k] = y > 0 ? i - width : i;
                left[k] = x > 0 ? i - 1 : i;
                right[k] = x < width - 1 ? i + 1 : i;
                down[k] = y < height - 1 ? i + width : i;
            }
            return new Stencil(cells, up, left, right, down);
        }
    }

    /// <summary>
    /// Red-black over-relaxation: the red cells from their (black) neighbours, then the black ones from the new red. In
    /// place, which is exact: a cell's neighbours are all of the other colour.
    /// </summary>
    private static void OverRelax(Span<float> u, Stencil red, Stencil black, float omega, int sweeps)
    {
        float side = omega / 4, centre = 1 - omega;
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            Sweep(u, red, side, centre);
            Sweep(u, black, side, centre);
        }
    }

    private static void Sweep(Span<float> u, Stencil s, float side, float centre)
    {
        for (int k = 0; k < s.Cells.Length; k++)
        {
            int i = s.Cells[k];
            u[i] = side * u[s.Up[k]] + side * u[s.Left[k]] + centre * u[i] + side * u[s.Right[k]] + side * u[s.Down[k]];
        }
    }

    /// <summary>Jacobi sweeps: every free cell becomes the mean of its 4 neighbours of the previous sweep.</summary>
    private static void Jacobi(Span<float> u, Stencil free, int sweeps)
    {
        var next = new float[free.Cells.Length];
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            for (int k = 0; k < next.Length; k++)
                next[k] = 0.25f * u[free.Up[k]] + 0.25f * u[free.Left[k]] + 0.25f * u[free.Right[k]] + 0.25f * u[free.Down[k]];
            for (int k = 0; k < next.Length; k++) u[free.Cells[k]] = next[k];
        }
    }
}
