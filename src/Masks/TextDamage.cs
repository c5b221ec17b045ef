using System.Globalization;
using SkiaSharp;

namespace Inpaint.Masks;

/// <summary>
/// Printed text over a photo: captions, dates and stamps in a bold sans-serif font (DejaVu Sans Bold, embedded),
/// 1 to 3 lines, 1/10 to 1/4 of the side high, sometimes tilted, anti-aliased as a real overlay would be.
/// </summary>
internal static class TextDamage
{
    private static readonly Lazy<SKTypeface> Font = new(LoadFont);

    private static readonly string[] Words =
    [
        "SUMMER", "WINTER", "HOLIDAY", "BEACH", "PARIS", "ROME", "GRANDMA", "BIRTHDAY", "WEDDING", "HAPPY", "LOVE", "FAMILY",
        "Sample", "Proof", "Copyright", "Photo", "Studio", "Kodak", "Memories", "Christmas", "Vacation", "Day", "Trip", "Home",
        "PROPERTY", "DRAFT", "CONFIDENTIAL", "preview", "stock", "image", "the", "and", "with", "our", "first", "garden",
    ];

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static void Draw(MaskCanvas canvas, Random rng) => Draw(canvas.Canvas, canvas.Width, canvas.Height, rng);

    /// <summary>Draws the text into <paramref name="canvas"/>, placed and sized by a picture of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static void Draw(SKCanvas canvas, int width, int height, Random rng)
    {
        float s = Math.Min(width, height);
        int lines = 1 + (rng.NextDouble() < 0.6 ? 0 : rng.Next(1, 3));
        float size = s * (float)(0.1 + 0.15 * rng.NextDouble());
        using var paint = new SKPaint
        {
            Color = SKColors.White, IsAntialias = true, Typeface = Font.Value, TextSize = size, Style = SKPaintStyle.Fill,
        };
        float x = (float)(rng.NextDouble() * width * 0.5);
        float y = (float)(size + rng.NextDouble() * Math.Max(1, height - lines * size * 1.2));
        canvas.Save();
        if (rng.NextDouble() < 0.3) canvas.RotateDegrees((float)(rng.NextDouble() * 40 - 20), x, y);
        for (int line = 0; line < lines; line++)
        {
            canvas.DrawText(Phrase(rng), x, y + line * size * 1.2f, paint);
        }
        canvas.Restore();
    }

    private static string Phrase(Random rng)
    {
        switch (rng.Next(4))
        {
            case 0:
                return $"{Words[rng.Next(Words.Length)]} {1950 + rng.Next(75)}";
            case 1:
                var date = new DateTime(1960, 1, 1).AddDays(rng.Next(365 * 60));
                return rng.Next(2) == 0 ? date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) : date.ToString("''yy MM dd", CultureInfo.InvariantCulture);
            case 2:
                return string.Join(' ', Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => Words[rng.Next(Words.Length)]));
            default:
                return new string(Enumerable.Range(0, 3 + rng.Next(6)).Select(_ => Alphanumerics[rng.Next(Alphanumerics.Length)]).ToArray());
        }
    }

    private static SKTypeface LoadFont()
    {
        using Stream stream = typeof(TextDamage).Assembly.GetManifestResourceStream("Inpaint.Masks.DejaVuSans-Bold.ttf")
                              ?? throw new InvalidOperationException("the embedded mask font is missing from Inpaint.Masks");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp could not read the embedded mask font");
    }
}
