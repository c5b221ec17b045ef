using SkiaSharp;

namespace Inpaint.Masks;

/// <summary>An 8-bit coverage raster that mask shapes are drawn into with anti-aliasing (white = hole).</summary>
internal sealed class MaskCanvas : IDisposable
{
    private readonly SKBitmap bitmap;
    private readonly SKCanvas canvas;
    private readonly SKPaint fill = new() { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Fill };

    public MaskCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The shorter side: the scale every shape is sized by.</summary>
    public int Short => Math.Min(Width, Height);

    public SKCanvas Canvas => canvas;

    public SKPaint FillPaint => fill;

    public void Rectangle(int left, int top, int width, int height) => canvas.DrawRect(left, top, width, height, fill);

    public void Stroke(SKPath path, float width, bool round = true)
    {
        using var paint = new SKPaint
        {
            Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width,
            StrokeCap = round ? SKStrokeCap.Round : SKStrokeCap.Butt, StrokeJoin = round ? SKStrokeJoin.Round : SKStrokeJoin.Miter,
        };
        canvas.DrawPath(path, paint);
    }

    /// <summary>The coverage, one byte per pixel, row-major.</summary>
    public byte[] Pixels()
    {
        canvas.Flush();
        var result = new byte[Width * Height];
        ReadOnlySpan<byte> source = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < Height; y++) source.Slice(y * rowBytes, Width).CopyTo(result.AsSpan(y * Width, Width));
        return result;
    }

    public void Dispose()
    {
        fill.Dispose();
        canvas.Dispose();
        bitmap.Dispose();
    }
}
