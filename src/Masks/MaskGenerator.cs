using Inpaint.Contract;
using SkiaSharp;

namespace Inpaint.Masks;

/// <summary>
/// Draws seeded, reproducible damage masks of every <see cref="MaskKind"/>: one home for the trainer,
/// <c>inpaint eval</c> and the tests, so training and evaluation draw from the same generators (with different
/// seeds). Shapes are rasterised with anti-aliasing; a pixel is a hole where its coverage is at least 128, as
/// in the mask convention. Sizes scale with the shorter side (the numbers in the docs are for 128 px).
/// </summary>
public static class MaskGenerator
{
    /// <summary>Coverage at or above which a pixel is a hole: the mask convention's luminance threshold.</summary>
    public const byte HoleThreshold = MaskConvention.HoleLuminance;

    /// <summary>Draws one mask of <paramref name="kind"/>: coverage 0..255 per pixel, row-major.</summary>
    public static byte[] Coverage(MaskKind kind, int width, int height, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        using var canvas = new MaskCanvas(width, height);
        Draw(canvas, kind, rng);
        return canvas.Pixels();
    }

    /// <summary>Draws one sample of a mix (a kind by weight, sometimes a second one on top).</summary>
    public static byte[] Coverage(MaskMix mix, int width, int height, Random rng) => Coverage(mix, width, height, rng, out _);

    /// <summary>Draws one sample of a mix and says which kind was picked first.</summary>
    public static byte[] Coverage(MaskMix mix, int width, int height, Random rng, out MaskKind kind)
    {
        using var canvas = new MaskCanvas(width, height);
        kind = mix.Pick(rng);
        Draw(canvas, kind, rng);
        if (mix.Combine > 0 && rng.NextDouble() < mix.Combine) Draw(canvas, mix.Pick(rng), rng);
        return canvas.Pixels();
    }

    /// <summary>The holes of a mask of <paramref name="kind"/> (coverage at least <see cref="HoleThreshold"/>).</summary>
    public static bool[] Holes(MaskKind kind, int width, int height, Random rng) => ToHoles(Coverage(kind, width, height, rng));

    /// <summary>Thresholds coverage at <see cref="HoleThreshold"/>.</summary>
    public static bool[] ToHoles(ReadOnlySpan<byte> coverage)
    {
        var holes = new bool[coverage.Length];
        for (int i = 0; i < holes.Length; i++) holes[i] = coverage[i] >= HoleThreshold;
        return holes;
    }

    private static void Draw(MaskCanvas canvas, MaskKind kind, Random rng)
    {
        switch (kind)
        {
            case MaskKind.Center: DrawCenter(canvas); break;
            case MaskKind.Square: DrawSquare(canvas, rng); break;
            case MaskKind.Box: DrawBoxes(canvas, rng); break;
            case MaskKind.Strokes: DrawStrokes(canvas, rng); break;
            case MaskKind.Scratch: DrawScratches(canvas, rng); break;
            case MaskKind.Text: TextDamage.Draw(canvas, rng); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown mask kind");
        }
    }

    private static void DrawCenter(MaskCanvas canvas)
    {
        var square = CenterSquare.HalfOf(canvas.Width, canvas.Height);
        canvas.Rectangle(square.Left, square.Top, square.Side, square.Side);
    }

    private static void DrawSquare(MaskCanvas canvas, Random rng)
    {
        int side = Math.Max(1, canvas.Short / 2);
        canvas.Rectangle(rng.Next(canvas.Width - side + 1), rng.Next(canvas.Height - side + 1), side, side);
    }

    private static void DrawBoxes(MaskCanvas canvas, Random rng)
    {
        int count = rng.NextDouble() < 0.7 ? 1 : 2;
        for (int i = 0; i < count; i++)
        {
            int w = Math.Clamp((int)(canvas.Short * (0.125 + 0.375 * rng.NextDouble())), 1, canvas.Width);
            int h = Math.Clamp((int)(canvas.Short * (0.125 + 0.375 * rng.NextDouble())), 1, canvas.Height);
            canvas.Rectangle(rng.Next(canvas.Width - w + 1), rng.Next(canvas.Height - h + 1), w, h);
        }
    }

    /// <summary>
    /// DeepFill v2-style freeform strokes: 1 to 4 strokes, each a random walk of 3 to 9 segments that turn by up
    /// to 70 degrees, drawn with one brush width (1/24 to 1/8 of the side) and round caps and joins.
    /// </summary>
    private static void DrawStrokes(MaskCanvas canvas, Random rng)
    {
        float s = canvas.Short;
        int strokes = 1 + rng.Next(4);
        for (int k = 0; k < strokes; k++)
        {
            using var path = new SKPath();
            float x = (float)(rng.NextDouble() * canvas.Width), y = (float)(rng.NextDouble() * canvas.Height);
            path.MoveTo(x, y);
            double angle = rng.NextDouble() * 2 * Math.PI;
            for (int v = 0, segments = 3 + rng.Next(7); v < segments; v++)
            {
                angle += (rng.NextDouble() * 2 - 1) * 1.22;
                double length = s * (0.06 + 0.19 * rng.NextDouble());
                x = Math.Clamp(x + (float)(Math.Cos(angle) * length), 0, canvas.Width);
                y = Math.Clamp(y + (float)(Math.Sin(angle) * length), 0, canvas.Height);
                path.LineTo(x, y);
            }
            canvas.Stroke(path, s * (float)(1 / 24.0 + (1 / 8.0 - 1 / 24.0) * rng.NextDouble()));
        }
    }

    /// <summary>
    /// Scratches: 1 to 4 thin curves (cubic Béziers bent off the straight line) running from one edge of the image
    /// to another, or shorter ones inside it; 1.5 to 6 px wide at 128 px.
    /// </summary>
    private static void DrawScratches(MaskCanvas canvas, Random rng)
    {
        float s = canvas.Short, scale = s / 128f;
        int lines = 1 + rng.Next(4);
        for (int k = 0; k < lines; k++)
        {
            SKPoint a, b;
            if (rng.NextDouble() < 0.7)
            {
                // Two different edges, so the line crosses the image.
                int from = rng.Next(4), to = (from + 1 + rng.Next(3)) % 4;
                a = EdgePoint(canvas, rng, from);
                b = EdgePoint(canvas, rng, to);
            }
            else
            {
                a = new SKPoint((float)(rng.NextDouble() * canvas.Width), (float)(rng.NextDouble() * canvas.Height));
                double angle = rng.NextDouble() * 2 * Math.PI, length = s * (0.3 + 0.5 * rng.NextDouble());
                b = new SKPoint(a.X + (float)(Math.Cos(angle) * length), a.Y + (float)(Math.Sin(angle) * length));
            }
            float bend = (float)(s * 0.15 * (rng.NextDouble() * 2 - 1)), bend2 = (float)(s * 0.15 * (rng.NextDouble() * 2 - 1));
            var d = new SKPoint(b.X - a.X, b.Y - a.Y);
            float length2 = MathF.Max(1, MathF.Sqrt(d.X * d.X + d.Y * d.Y));
            var normal = new SKPoint(-d.Y / length2, d.X / length2);
            using var path = new SKPath();
            path.MoveTo(a);
            path.CubicTo(a.X + d.X / 3 + normal.X * bend, a.Y + d.Y / 3 + normal.Y * bend,
                a.X + 2 * d.X / 3 + normal.X * bend2, a.Y + 2 * d.Y / 3 + normal.Y * bend2, b.X, b.Y);
            canvas.Stroke(path, scale * (float)(1.5 + 4.5 * Math.Pow(rng.NextDouble(), 1.5)), round: false);
        }
    }

    private static SKPoint EdgePoint(MaskCanvas canvas, Random rng, int side)
    {
        float u = (float)rng.NextDouble();
        return side switch
        {
            0 => new SKPoint(u * canvas.Width, -2),
            1 => new SKPoint(canvas.Width + 2, u * canvas.Height),
            2 => new SKPoint(u * canvas.Width, canvas.Height + 2),
            _ => new SKPoint(-2, u * canvas.Height),
        };
    }
}
