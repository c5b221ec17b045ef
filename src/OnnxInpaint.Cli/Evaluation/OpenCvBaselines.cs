using OpenCvSharp;

namespace Inpaint.Cli.Evaluation;

/// <summary>OpenCV's classical inpainting (Telea's fast marching method, Navier-Stokes) on the same inputs.</summary>
public static class OpenCvBaselines
{
    /// <summary>Inpaints interleaved RGB bytes where <paramref name="holes"/> is set.</summary>
    public static byte[] Inpaint(byte[] rgb, bool[] holes, int width, int height, InpaintTypes method, double radius)
    {
        using var src = new Mat(height, width, MatType.CV_8UC3);
        using var mask = new Mat(height, width, MatType.CV_8UC1);
        var pixels3 = new Vec3b[width * height];
        for (int i = 0; i < pixels3.Length; i++) pixels3[i] = new Vec3b(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
        src.SetArray(pixels3);
        mask.SetArray(holes.Select(h => h ? (byte)255 : (byte)0).ToArray());
        using var dst = new Mat();
        Cv2.Inpaint(src, mask, dst, radius, method);
        dst.GetArray(out Vec3b[] pixels);
        var result = new byte[rgb.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            result[3 * i] = pixels[i].Item0;
            result[3 * i + 1] = pixels[i].Item1;
            result[3 * i + 2] = pixels[i].Item2;
        }
        return result;
    }
}
