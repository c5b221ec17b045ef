using OpenCvSharp;

namespace Inpaint.Cli.Evaluation;

/// <summary>Seeded, reproducible evaluation masks (255 = hole), drawn with OpenCV's own vector fonts and lines.</summary>
public static class MaskGenerator
{
    private static readonly string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A size x size mask of the given kind; the same (kind, size, seed) always gives the same mask.</summary>
    public static bool[] Make(MaskKind kind, int size, int seed)
    {
        var rng = new Random(seed);
        using var mat = new Mat(size, size, MatType.CV_8UC1, Scalar.All(0));
        int half = size / 2;
        switch (kind)
        {
            case MaskKind.Center:
                Cv2.Rectangle(mat, new Rect(half / 2, half / 2, half, half), Scalar.All(255), -1);
                break;
            case MaskKind.Square:
                Cv2.Rectangle(mat, new Rect(rng.Next(size - half + 1), rng.Next(size - half + 1), half, half), Scalar.All(255), -1);
                break;
            case MaskKind.Freeform:
                for (int stroke = 0, strokes = rng.Next(2, 5); stroke < strokes; stroke++)
                {
                    var p = new Point(rng.Next(size), rng.Next(size));
                    int width = Math.Max(2, size / 16 + rng.Next(size / 16 + 1));
                    for (int segment = 0, segments = rng.Next(3, 7); segment < segments; segment++)
                    {
                        double angle = rng.NextDouble() * 2 * Math.PI, length = size / 8.0 + rng.NextDouble() * size / 4.0;
                        var q = new Point(Math.Clamp(p.X + (int)(Math.Cos(angle) * length), 0, size - 1), Math.Clamp(p.Y + (int)(Math.Sin(angle) * length), 0, size - 1));
                        Cv2.Line(mat, p, q, Scalar.All(255), width, LineTypes.Link8);
                        Cv2.Circle(mat, q, width / 2, Scalar.All(255), -1);
                        p = q;
                    }
                }
                break;
            case MaskKind.Scratch:
                for (int line = 0, lines = rng.Next(2, 5); line < lines; line++)
                {
                    var a = new Point(rng.Next(size), 0);
                    var b = new Point(rng.Next(size), size - 1);
                    if (rng.Next(2) == 0) (a, b) = (new Point(0, rng.Next(size)), new Point(size - 1, rng.Next(size)));
                    Cv2.Line(mat, a, b, Scalar.All(255), 1 + rng.Next(3), LineTypes.Link8);
                }
                break;
            case MaskKind.Text:
                double scale = size / 200.0 + rng.NextDouble() * size / 400.0;
                for (int row = 0, rows = rng.Next(1, 3); row < rows; row++)
                {
                    string text = new(Enumerable.Range(0, rng.Next(4, 8)).Select(_ => Letters[rng.Next(Letters.Length)]).ToArray());
                    var origin = new Point(rng.Next(size / 8), size / 3 + row * size / 3 + rng.Next(size / 8));
                    Cv2.PutText(mat, text, origin, HersheyFonts.HersheySimplex, scale, Scalar.All(255), Math.Max(1, (int)Math.Round(scale * 2)), LineTypes.Link8);
                }
                break;
        }
        var holes = new bool[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                holes[y * size + x] = mat.At<byte>(y, x) >= 128;
        return holes;
    }
}
