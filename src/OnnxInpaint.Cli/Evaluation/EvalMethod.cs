using System.Globalization;
using Inpaint.Imaging;
using Inpaint.OnnxInpaint;
using OpenCvSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Cli.Evaluation;

/// <summary>A method eval compares: its name in the tables and how it repairs a sample (the whole photo, interleaved RGB).</summary>
/// <param name="Name">The name in the tables.</param>
/// <param name="Run">
/// Repairs the sample's damaged photo: one repair, or several variants of it (different seeds) whose first is the one
/// scored and all of which measure the method's diversity.
/// </param>
internal sealed record EvalMethod(string Name, Func<EvalSample, IReadOnlyList<byte[]>> Run)
{
    /// <summary>A model, with the repair settings a user gets from <c>repair</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">Its file as given (null: the default).</param>
    /// <param name="options">The repair's settings, its fill included.</param>
    /// <param name="nameFill">Whether the row's name says the fill (when several are scored).</param>
    /// <param name="variants">How many variants each repair makes (seeds <see cref="RepairOptions.Seed"/>, +1, ...).</param>
    /// <param name="cancellation">Stops the repair.</param>
    public static EvalMethod Model(InpaintModel model, string? path, RepairOptions options, bool nameFill, int variants, CancellationToken cancellation)
    {
        var repairer = new PhotoRepairer(model, options);
        string file = Path.GetFileName(path ?? ModelLocator.DefaultModelName);
        string name = $"{model.Contract.Architecture} ({file}{(nameFill ? $", {options.Fill.Word()}" : "")})";
        return new EvalMethod(name, s => Repair(repairer, s, variants, cancellation));
    }

    /// <summary>OpenCV's Telea and Navier-Stokes at each radius.</summary>
    public static IEnumerable<EvalMethod> OpenCv(IEnumerable<double> radii)
    {
        foreach (double r in radii)
        {
            yield return new EvalMethod(string.Create(CultureInfo.InvariantCulture, $"opencv telea r{r:G}"),
                s => [OpenCvBaselines.Inpaint(s.Damaged(), s.Holes, s.Width, s.Height, InpaintTypes.Telea, r)]);
            yield return new EvalMethod(string.Create(CultureInfo.InvariantCulture, $"opencv navier-stokes r{r:G}"),
                s => [OpenCvBaselines.Inpaint(s.Damaged(), s.Holes, s.Width, s.Height, InpaintTypes.NS, r)]);
        }
    }

    /// <summary>opencv_contrib's xphoto inpainting, each method asked for (frequency selective reconstruction, shift-map).</summary>
    public static IEnumerable<EvalMethod> XPhoto(IEnumerable<XPhotoMethod> methods) => methods.Select(m =>
        new EvalMethod($"opencv xphoto {XPhotoName(m)}", s => [OpenCvBaselines.InpaintXPhoto(s.Damaged(), s.Holes, s.Width, s.Height, m)]));

    /// <summary>An xphoto method's name in the tables (after "opencv xphoto").</summary>
    public static string XPhotoName(XPhotoMethod method) => method == XPhotoMethod.ShiftMap ? "shift-map" : "fsr-fast";

    private static IReadOnlyList<byte[]> Repair(PhotoRepairer repairer, EvalSample s, int variants, CancellationToken cancellation)
    {
        byte[] damaged = s.Damaged();
        using var image = new Image<Rgba32>(s.Width, s.Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < s.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < s.Width; x++)
                {
                    int i = 3 * (y * s.Width + x);
                    row[x] = new Rgba32(damaged[i], damaged[i + 1], damaged[i + 2], 255);
                }
            }
        });
        var repaired = repairer.Variants(image, new HoleMap(s.Width, s.Height, s.Holes, MaskSource.Luminance), variants, out _, cancellation: cancellation);
        try
        {
            return repaired.Select(QualityMetrics.Rgb).ToList();
        }
        finally
        {
            foreach (var variant in repaired) variant.Dispose();
        }
    }
}
