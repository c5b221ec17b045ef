using System.Text.RegularExpressions;
using OpenCvSharp;
using CvXPhoto = OpenCvSharp.XPhoto.CvXPhoto;
using XPhotoInpaintTypes = OpenCvSharp.XPhoto.InpaintTypes;

namespace Inpaint.Cli.Evaluation;

/// <summary>
/// OpenCV's classical inpainting on the same inputs as the models: Telea's fast marching method and Navier-Stokes
/// (imgproc), frequency selective reconstruction and shift-map (opencv_contrib's xphoto).
/// </summary>
public static partial class OpenCvBaselines
{
    /// <summary>The Debian/Ubuntu package that provides the GTK 3 libraries OpenCvSharp's Linux runtime links.</summary>
    public const string GtkPackage = "libgtk-3-0";

    // Probed once per process: a failed native load does not heal, and a successful one stays loaded.
    private static readonly Lazy<string?> Problem = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// True when OpenCV's native library loads on this machine; otherwise <paramref name="reason"/> is one line naming
    /// the missing library and the package that provides it.
    /// </summary>
    public static bool TryLoad(out string reason)
    {
        reason = Problem.Value ?? "";
        return Problem.Value is null;
    }

    /// <summary>Throws a <see cref="UserError"/> (exit 1, one line) when OpenCV cannot be loaded here.</summary>
    public static void EnsureAvailable()
    {
        if (!TryLoad(out string reason)) throw new UserError(reason);
    }

    /// <summary>Inpaints interleaved RGB bytes where <paramref name="holes"/> is set (Telea or Navier-Stokes, <c>cv::inpaint</c>).</summary>
    public static byte[] Inpaint(byte[] rgb, bool[] holes, int width, int height, InpaintTypes method, double radius)
    {
        using var src = ToMat(rgb, width, height);
        using var mask = Mask(holes, width, height, hole: 255);
        using var dst = new Mat();
        Cv2.Inpaint(src, mask, dst, radius, method);
        return FromMat(dst);
    }

    /// <summary>
    /// Inpaints interleaved RGB bytes where <paramref name="holes"/> is set with opencv_contrib's xphoto
    /// (<c>cv::xphoto::inpaint</c>), whose mask is the other way round: non-zero marks the known pixels. Frequency
    /// selective reconstruction runs on the BGR image (the colour order it documents); shift-map on 8-bit CIE Lab, as
    /// xphoto asks of 3-channel images, and back. OpenCV does not keep the known pixels: FSR rounds most of them by one
    /// grey level, shift-map's Lab round trip moves most by up to 4 and its seams rewrite some near the holes (by up to
    /// 150 grey levels on eval's photos). So the result keeps the input's known pixels exactly and takes only the holes
    /// from OpenCV, as every other method's does.
    /// </summary>
    public static byte[] InpaintXPhoto(byte[] rgb, bool[] holes, int width, int height, XPhotoMethod method)
    {
        byte[] filled = RawXPhoto(rgb, holes, width, height, method);
        for (int i = 0; i < holes.Length; i++)
            if (!holes[i]) Array.Copy(rgb, 3 * i, filled, 3 * i, 3);
        return filled;
    }

    /// <summary>What xphoto itself returns for <see cref="InpaintXPhoto"/>, known pixels as OpenCV left them.</summary>
    private static byte[] RawXPhoto(byte[] rgb, bool[] holes, int width, int height, XPhotoMethod method)
    {
        var (into, back, algorithm) = method switch
        {
            XPhotoMethod.FsrFast => (ColorConversionCodes.RGB2BGR, ColorConversionCodes.BGR2RGB, XPhotoInpaintTypes.FSR_FAST),
            XPhotoMethod.ShiftMap => (ColorConversionCodes.RGB2Lab, ColorConversionCodes.Lab2RGB, XPhotoInpaintTypes.SHIFTMAP),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not an xphoto method"),
        };
        using var src = ToMat(rgb, width, height);
        using var known = Mask(holes, width, height, hole: 0);
        using var converted = new Mat();
        Cv2.CvtColor(src, converted, into);
        using var dst = new Mat(converted.Size(), converted.Type());
        CvXPhoto.Inpaint(converted, known, dst, algorithm);
        using var result = new Mat();
        Cv2.CvtColor(dst, result, back);
        return FromMat(result);
    }

    private static Mat ToMat(byte[] rgb, int width, int height)
    {
        var mat = new Mat(height, width, MatType.CV_8UC3);
        var pixels = new Vec3b[width * height];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = new Vec3b(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
        mat.SetArray(pixels);
        return mat;
    }

    /// <summary>An 8-bit mask: <paramref name="hole"/> at the holes, the other of 0 and 255 elsewhere.</summary>
    private static Mat Mask(bool[] holes, int width, int height, byte hole)
    {
        var mask = new Mat(height, width, MatType.CV_8UC1);
        mask.SetArray(holes.Select(h => h ? hole : (byte)(255 - hole)).ToArray());
        return mask;
    }

    private static byte[] FromMat(Mat mat)
    {
        mat.GetArray(out Vec3b[] pixels);
        var rgb = new byte[3 * pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            rgb[3 * i] = pixels[i].Item0;
            rgb[3 * i + 1] = pixels[i].Item1;
            rgb[3 * i + 2] = pixels[i].Item2;
        }
        return rgb;
    }

    private static string? Probe()
    {
        try
        {
            // The first call into OpenCvSharpExtern makes the runtime dlopen it, and with it GTK 3.
            using var probe = new Mat(1, 1, MatType.CV_8UC1);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return Explain(e);
        }
    }

    /// <summary>
    /// One line for a failed native load. .NET lists one dynamic-loader error per place it tried; the lines about
    /// OpenCvSharpExtern itself are those probe locations, the first other one names the dependency that failed
    /// ("libgtk-3.so.0: cannot open shared object file" on a machine without GTK 3).
    /// </summary>
    internal static string Explain(Exception e)
    {
        string details = "";
        for (Exception? x = e; x is not null; x = x.InnerException) details += "\n" + x.Message;
        string? library = LoaderError().Matches(details).Select(m => m.Groups[1].Value)
            .FirstOrDefault(name => !name.Contains("OpenCvSharpExtern", StringComparison.Ordinal));
        string fix = library is null || library.StartsWith("libgtk-3", StringComparison.Ordinal) || library.StartsWith("libgdk-3", StringComparison.Ordinal)
            ? $"install the package {GtkPackage} (apt-get install {GtkPackage})"
            : $"install the package that provides it ({GtkPackage} brings most of OpenCV's dependencies)";
        return $"OpenCV cannot be loaded: {library ?? "a library that OpenCvSharpExtern needs"} is missing or unusable; {fix}. " +
               "Only 'inpaint eval' needs it, for the OpenCV baselines (leave them out with --cv-radius \"\" --cv-xphoto \"\")";
    }

    // A loader error line: an optional directory, the library's file name, a colon and the reason.
    [GeneratedRegex(@"(?m)^\s*(?:\S*/)?(lib[\w.+-]+\.so[\w.]*): \S")]
    private static partial Regex LoaderError();
}

/// <summary>The xphoto inpainting methods eval can compare.</summary>
public enum XPhotoMethod
{
    /// <summary>Frequency selective reconstruction, the fast profile (<c>INPAINT_FSR_FAST</c>).</summary>
    FsrFast,

    /// <summary>Shift-map inpainting (<c>INPAINT_SHIFTMAP</c>, He and Sun 2012), on Lab.</summary>
    ShiftMap,
}
