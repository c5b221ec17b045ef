using SkiaSharp;

namespace Inpaint.Masks;

/// <summary>
/// Draws synthetic damage onto a photo and says which pixels it changed: the damage detector's training and evaluation
/// data. Each kind (<see cref="DamageKind"/>) is drawn as anti-aliased coverage with Skia (blurred where damage has soft
/// edges) and laid over the photo in a colour at an opacity: <c>v = v (1 - a c) + colour a c</c>. The label is every
/// pixel whose value the damage visibly changed (by at least <see cref="VisibleChange"/> of the range in some channel),
/// so a white scratch across a white sky is not damage to find. Deterministic for a seed.
/// </summary>
public static class DamageRenderer
{
    /// <summary>The smallest change, as a share of the pixel range, that counts a pixel as damaged (8 of 255).</summary>
    public const float VisibleChange = 8f / 255f;

    /// <summary>
    /// Draws one kind of damage onto <paramref name="planar"/> (3 x height x width, channel planes, values from
    /// <paramref name="low"/> for black to <paramref name="high"/> for white) and marks the pixels it visibly changed in
    /// <paramref name="label"/> (height x width; set to true, never cleared, so several kinds add up).
    /// </summary>
    public static void Draw(DamageKind kind, Span<float> planar, int width, int height, float low, float high, Random rng, Span<bool> label)
    {
        if (planar.Length < 3 * width * height || label.Length < width * height)
            throw new ArgumentException($"buffers are too small for {width}x{height}");
        float[] before = planar[..(3 * width * height)].ToArray();
        DrawOne(kind, new Layer(planar, DamageFrame.Whole(width, height), low, high), rng);
        Label(before, planar, width * height, VisibleChange * (high - low), label);
    }

    private static void DrawOne(DamageKind kind, in Layer layer, Random rng)
    {
        switch (kind)
        {
            case DamageKind.Scratch: Scratches(layer, rng); break;
            case DamageKind.Hairline: Hairlines(layer, rng); break;
            case DamageKind.Dust: Dust(layer, rng); break;
            case DamageKind.Text: Text(layer, rng); break;
            case DamageKind.Stain: Stain(layer, rng); break;
            case DamageKind.Corner: Corner(layer, rng); break;
            default: Crease(layer, rng); break;
        }
    }

    /// <summary>
    /// Draws a random mixture: with probability <paramref name="cleanShare"/> nothing (a clean photo teaches what not to
    /// flag), else one to three kinds drawn from <paramref name="kinds"/>. Returns the kinds drawn.
    /// </summary>
    public static IReadOnlyList<DamageKind> DrawMix(IReadOnlyList<DamageKind> kinds, double cleanShare, Span<float> planar, int width, int height,
        float low, float high, Random rng, Span<bool> label) =>
        DrawMix(kinds, cleanShare, planar, DamageFrame.Whole(width, height), low, high, rng, label);

    /// <summary>
    /// <see cref="DrawMix(IReadOnlyList{DamageKind}, double, Span{float}, int, int, float, float, Random, Span{bool})"/>
    /// on a window of a larger picture (<paramref name="frame"/>): the damage is placed and sized by that picture, and
    /// only the window's part of it is drawn into <paramref name="planar"/> (3 x the window's height x its width).
    /// </summary>
    public static IReadOnlyList<DamageKind> DrawMix(IReadOnlyList<DamageKind> kinds, double cleanShare, Span<float> planar, DamageFrame frame,
        float low, float high, Random rng, Span<bool> label)
    {
        int width = frame.WindowWidth, height = frame.WindowHeight;
        if (kinds.Count == 0 || rng.NextDouble() < cleanShare) return [];
        if (planar.Length < 3 * width * height || label.Length < width * height)
            throw new ArgumentException($"buffers are too small for {width}x{height}");
        float[] before = planar[..(3 * width * height)].ToArray();
        int count = 1 + (rng.NextDouble() < 0.5 ? 0 : rng.Next(1, 3));
        var drawn = new List<DamageKind>(count);
        for (int i = 0; i < count; i++)
        {
            DamageKind kind = kinds[rng.Next(kinds.Count)];
            DrawOne(kind, new Layer(planar, frame, low, high), rng);
            drawn.Add(kind);
        }
        Label(before, planar, width * height, VisibleChange * (high - low), label);
        return drawn;
    }

    /// <summary>Marks every pixel whose value changed by at least <paramref name="visible"/> in some channel from <paramref name="before"/>.</summary>
    private static void Label(float[] before, ReadOnlySpan<float> after, int plane, float visible, Span<bool> label)
    {
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < 3; c++)
                if (Math.Abs(after[c * plane + p] - before[c * plane + p]) >= visible)
                {
                    label[p] = true;
                    break;
                }
    }

    /// <summary>
    /// The photo being damaged: the planes of its window (<see cref="Width"/> x <see cref="Height"/>), their range, and
    /// the picture the window lies in (<see cref="Frame"/>), which places and sizes the damage.
    /// </summary>
    private readonly ref struct Layer(Span<float> planar, DamageFrame frame, float low, float high)
    {
        public readonly Span<float> Planar = planar;
        public readonly DamageFrame Frame = frame;
        public readonly int Width = frame.WindowWidth, Height = frame.WindowHeight;
        public readonly float Low = low, High = high;

        /// <summary>The picture's shorter side, which sizes are relative to.</summary>
        public int Short => Math.Min(Frame.Width, Frame.Height);

        /// <summary>
        /// Lays <paramref name="coverage"/> (0..255 a pixel) over the photo in <paramref name="colour"/> (0..1 a channel)
        /// at <paramref name="opacity"/>, optionally shifted.
        /// </summary>
        public void Composite(byte[] coverage, (float R, float G, float B) colour, float opacity, int dx = 0, int dy = 0)
        {
            int plane = Width * Height;
            float range = High - Low;
            float[] target = [Low + colour.R * range, Low + colour.G * range, Low + colour.B * range];
            for (int y = 0; y < Height; y++)
            {
                int sy = y - dy;
                if (sy < 0 || sy >= Height) continue;
                for (int x = 0; x < Width; x++)
                {
                    int sx = x - dx;
                    if (sx < 0 || sx >= Width) continue;
                    byte c = coverage[sy * Width + sx];
                    if (c == 0) continue;
                    float a = opacity * c / 255f;
                    int p = y * Width + x;
                    for (int ch = 0; ch < 3; ch++)
                    {
                        ref float v = ref Planar[ch * plane + p];
                        v = v * (1 - a) + target[ch] * a;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A coverage canvas of the layer's window, drawn by <paramref name="draw"/> in the picture's coordinates, blurred by
    /// <paramref name="blur"/> px (sigma) when positive.
    /// </summary>
    private static byte[] Coverage(in Layer layer, float blur, Action<MaskCanvas, SKPaint> draw)
    {
        using var canvas = new MaskCanvas(layer.Width, layer.Height);
        canvas.Canvas.Translate(-layer.Frame.Left, -layer.Frame.Top);
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        using SKMaskFilter? filter = blur > 0.05f ? SKMaskFilter.CreateBlur(SKBlurStyle.Normal, blur) : null;
        paint.MaskFilter = filter;
        draw(canvas, paint);
        return canvas.Pixels();
    }

    private static float Between(Random rng, double low, double high) => (float)(low + (high - low) * rng.NextDouble());

    /// <summary>Near white or near black (what emulsion loss and dirt look like), slightly tinted.</summary>
    private static (float, float, float) BrightOrDark(Random rng)
    {
        float v = rng.NextDouble() < 0.6 ? Between(rng, 0.85, 1.0) : Between(rng, 0.0, 0.15);
        return (Math.Clamp(v + Between(rng, -0.04, 0.04), 0, 1), v, Math.Clamp(v + Between(rng, -0.04, 0.04), 0, 1));
    }

    /// <summary>A curve from one edge of the layer to another, bent off the straight line.</summary>
    private static SKPath EdgeToEdge(in Layer layer, Random rng, double bend)
    {
        int width = layer.Frame.Width, height = layer.Frame.Height;
        SKPoint Edge(int side) => side switch
        {
            0 => new(Between(rng, 0, width), 0),
            1 => new(width, Between(rng, 0, height)),
            2 => new(Between(rng, 0, width), height),
            _ => new(0, Between(rng, 0, height)),
        };
        int from = rng.Next(4), to = (from + 1 + rng.Next(3)) % 4;
        SKPoint a = Edge(from), b = Edge(to);
        float span = layer.Short * (float)bend;
        var path = new SKPath();
        path.MoveTo(a);
        path.CubicTo(
            a.X + (b.X - a.X) / 3 + Between(rng, -span, span), a.Y + (b.Y - a.Y) / 3 + Between(rng, -span, span),
            a.X + 2 * (b.X - a.X) / 3 + Between(rng, -span, span), a.Y + 2 * (b.Y - a.Y) / 3 + Between(rng, -span, span), b.X, b.Y);
        return path;
    }

    /// <summary>A wandering line from a random point: short steps that turn a little each time.</summary>
    private static SKPath Wander(in Layer layer, Random rng, int steps, float step)
    {
        var path = new SKPath();
        float x = Between(rng, 0, layer.Frame.Width), y = Between(rng, 0, layer.Frame.Height), angle = Between(rng, 0, 2 * Math.PI);
        path.MoveTo(x, y);
        for (int i = 0; i < steps; i++)
        {
            angle += Between(rng, -0.5, 0.5);
            x += step * MathF.Cos(angle);
            y += step * MathF.Sin(angle);
            path.LineTo(x, y);
        }
        return path;
    }

    private static void Scratches(in Layer layer, Random rng)
    {
        int count = 1 + rng.Next(4);
        for (int i = 0; i < count; i++)
        {
            float width = Between(rng, 1, 6), blur = Between(rng, 0, 1.2);
            using SKPath path = EdgeToEdge(layer, rng, 0.25);
            byte[] coverage = Coverage(layer, blur, (canvas, paint) =>
            {
                paint.StrokeWidth = width;
                canvas.Canvas.DrawPath(path, paint);
            });
            layer.Composite(coverage, BrightOrDark(rng), Between(rng, 0.5, 1.0));
        }
    }

    /// <summary>A count that scales with the picture's area: <paramref name="low"/> to <paramref name="high"/> per 128x128, at least one.</summary>
    private static int PerArea(in Layer layer, Random rng, double low, double high) =>
        Math.Max(1, (int)Math.Round(layer.Frame.Width * (double)layer.Frame.Height / (128 * 128) * Between(rng, low, high)));

    private static void Hairlines(in Layer layer, Random rng)
    {
        int count = PerArea(layer, rng, 0.3, 3);
        for (int i = 0; i < count; i++)
        {
            float width = Between(rng, 0.6, 1.5);
            using SKPath path = Wander(layer, rng, 8 + rng.Next(30), Between(rng, 2, 6));
            byte[] coverage = Coverage(layer, 0, (canvas, paint) =>
            {
                paint.StrokeWidth = width;
                canvas.Canvas.DrawPath(path, paint);
            });
            layer.Composite(coverage, BrightOrDark(rng), Between(rng, 0.5, 1.0));
        }
    }

    private static void Dust(in Layer layer, Random rng)
    {
        int specks = PerArea(layer, rng, 3, 30);
        var colour = BrightOrDark(rng);
        float blur = Between(rng, 0, 0.8);
        var layerCopy = (layer.Frame.Width, layer.Frame.Height);
        byte[] coverage = Coverage(layer, blur, (canvas, paint) =>
        {
            paint.Style = SKPaintStyle.Fill;
            for (int s = 0; s < specks; s++)
            {
                float x = Between(rng, 0, layerCopy.Width), y = Between(rng, 0, layerCopy.Height);
                float r = rng.NextDouble() < 0.7 ? Between(rng, 0.5, 1.5) : Between(rng, 1.5, 3);
                if (rng.NextDouble() < 0.7) canvas.Canvas.DrawCircle(x, y, r, paint);
                else canvas.Canvas.DrawOval(x, y, r * Between(rng, 1, 2.5), r * Between(rng, 0.4, 1), paint);
            }
        });
        layer.Composite(coverage, colour, Between(rng, 0.6, 1.0));
    }

    private static readonly (float, float, float)[] TextColours =
    [
        (1f, 1f, 1f), (0f, 0f, 0f), (1f, 0.55f, 0.1f), (1f, 0.85f, 0.2f), (0.9f, 0.1f, 0.1f), (0.95f, 0.95f, 0.8f),
    ];

    private static void Text(in Layer layer, Random rng)
    {
        (int width, int height) = (layer.Frame.Width, layer.Frame.Height);
        byte[] coverage = Coverage(layer, Between(rng, 0, 0.6), (canvas, _) => TextDamage.Draw(canvas.Canvas, width, height, rng));
        float opacity = rng.NextDouble() < 0.3 ? Between(rng, 0.35, 0.7) : Between(rng, 0.85, 1.0);
        if (rng.NextDouble() < 0.35)
        {
            int shift = 1 + rng.Next(2);
            layer.Composite(coverage, (0f, 0f, 0f), opacity * 0.8f, shift, shift); // a drop shadow
        }
        layer.Composite(coverage, TextColours[rng.Next(TextColours.Length)], opacity);
    }

    private static void Stain(in Layer layer, Random rng)
    {
        float cx = Between(rng, 0, layer.Frame.Width), cy = Between(rng, 0, layer.Frame.Height), size = layer.Short * Between(rng, 0.1, 0.35);
        int blobs = 2 + rng.Next(5);
        byte[] coverage = Coverage(layer, Between(rng, 1.5, 5), (canvas, paint) =>
        {
            paint.Style = SKPaintStyle.Fill;
            for (int b = 0; b < blobs; b++)
                canvas.Canvas.DrawOval(cx + Between(rng, -size, size) * 0.6f, cy + Between(rng, -size, size) * 0.6f, size * Between(rng, 0.3, 0.8), size * Between(rng, 0.3, 0.8), paint);
        });
        (float, float, float) colour = rng.NextDouble() < 0.7 ? (0.55f, 0.4f, 0.2f) : (0.9f, 0.85f, 0.6f);
        layer.Composite(coverage, colour, Between(rng, 0.25, 0.6));
    }

    private static readonly (float, float, float)[] PaperColours = [(1f, 1f, 1f), (0.02f, 0.02f, 0.02f), (0.92f, 0.87f, 0.72f), (0.85f, 0.85f, 0.82f)];

    private static void Corner(in Layer layer, Random rng)
    {
        int w = layer.Frame.Width, h = layer.Frame.Height;
        float depth = layer.Short * Between(rng, 0.1, 0.4);
        int corner = rng.Next(4);
        byte[] coverage = Coverage(layer, 0, (canvas, paint) =>
        {
            paint.Style = SKPaintStyle.Fill;
            using var path = new SKPath();
            // A jagged tear from one side of the corner to the other.
            (float X, float Y) origin = corner switch { 0 => (0, 0), 1 => (w, 0), 2 => (w, h), _ => (0, h) };
            float sx = corner is 0 or 3 ? 1 : -1, sy = corner is 0 or 1 ? 1 : -1;
            float along = depth * Between(rng, 0.6, 1.6), down = depth * Between(rng, 0.6, 1.6);
            path.MoveTo(origin.X, origin.Y);
            path.LineTo(origin.X + sx * along, origin.Y);
            int teeth = 6 + rng.Next(10);
            for (int t = 1; t < teeth; t++)
            {
                float f = (float)t / teeth;
                float jag = depth * Between(rng, -0.08, 0.08);
                path.LineTo(origin.X + sx * (along * (1 - f) + jag), origin.Y + sy * (down * f + jag));
            }
            path.LineTo(origin.X, origin.Y + sy * down);
            path.Close();
            canvas.Canvas.DrawPath(path, paint);
        });
        layer.Composite(coverage, PaperColours[rng.Next(PaperColours.Length)], 1f);
    }

    private static void Crease(in Layer layer, Random rng)
    {
        using SKPath path = EdgeToEdge(layer, rng, 0.05);
        float width = Between(rng, 1.5, 4);
        byte[] coverage = Coverage(layer, Between(rng, 0.3, 1.2), (canvas, paint) =>
        {
            paint.StrokeWidth = width;
            canvas.Canvas.DrawPath(path, paint);
        });
        int shift = 1 + rng.Next(2);
        layer.Composite(coverage, (0.1f, 0.1f, 0.1f), Between(rng, 0.2, 0.5), shift, shift);
        layer.Composite(coverage, (0.95f, 0.95f, 0.92f), Between(rng, 0.4, 0.8));
    }
}
