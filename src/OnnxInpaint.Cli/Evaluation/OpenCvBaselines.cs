using System.Text.RegularExpressions;
using OpenCvSharp;

namespace Inpaint.Cli.Evaluation;

/// <summary>OpenCV's classical inpainting (Telea's fast marching method, Navier-Stokes) on the same inputs.</summary>
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
               "Only 'inpaint eval' needs it, for the Telea and Navier-Stokes baselines";
    }

    // A loader error line: an optional directory, the library's file name, a colon and the reason.
    [GeneratedRegex(@"(?m)^\s*(?:\S*/)?(lib[\w.+-]+\.so[\w.]*): \S")]
    private static partial Regex LoaderError();
}
