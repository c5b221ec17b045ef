using System.CommandLine;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli;

/// <summary>The damage detector's options (<c>--detector</c>, <c>--threshold</c>, <c>--levels</c>), shared by <c>detect</c> and <c>repair --auto</c>.</summary>
internal sealed class DetectorOptionSet
{
    private readonly Option<string?> detector = new("--detector") { Description = $"Damage detector ONNX model (default: models/{ModelLocator.DefaultDetectorName})" };
    private readonly Option<double> threshold = DetectSettings.Threshold.ToOption();
    private readonly Option<int> levels = DetectSettings.Levels.ToOption();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(detector);
        command.Options.Add(threshold);
        command.Options.Add(levels);
    }

    /// <summary>The detector the options name, on the given device.</summary>
    public DamageDetector Load(ParseResult p, string device, int deviceId, int threads, Action<string>? log)
    {
        DamageDetector loaded = InpaintCli.LoadDetector(p.GetValue(detector), device, deviceId, threads, log);
        loaded.Levels = p.GetValue(levels); // in range: the option checked it
        return loaded;
    }

    /// <summary>The threshold asked for, or the detector's own.</summary>
    public double Threshold(ParseResult p, DamageDetector loaded) => DetectSettings.Resolve(p.GetValue(threshold), loaded);
}
