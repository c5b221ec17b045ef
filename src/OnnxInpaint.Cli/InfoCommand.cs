using System.CommandLine;
using Inpaint.OnnxInpaint;
using Inpaint.Contract;

namespace Inpaint.Cli;

/// <summary><c>inpaint info MODEL</c>: contract, metadata, inputs and outputs, providers on this machine.</summary>
internal static class InfoCommand
{
    public static Command Build(TextWriter stdout)
    {
        var model = new Argument<string?>("model") { Description = "An Inpaint ONNX model or damage detector (default: the shipped model)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("info", "Shows a model's contract, metadata, inputs and outputs, and the execution providers of this machine") { model };
        command.SetAction(p =>
        {
            string path = ModelLocator.Resolve(p.GetValue(model));
            if (IsDetector(path)) return Detector(stdout, path);
            using var loaded = InpaintModel.Load(path, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
            var c = loaded.Contract;
            stdout.WriteLine($"model:        {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F2} MB)");
            stdout.WriteLine($"contract:     inpaint/{c.Version}");
            stdout.WriteLine($"architecture: {c.Architecture}");
            string h = c.Family == ModelFamily.Center ? c.ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : "H";
            string w = c.Family == ModelFamily.Center ? h : "W";
            stdout.WriteLine($"input:        image float32 [N,3,{h},{w}] 0..255; mask float32 [N,1,{h},{w}] 0..255, hole >= {ContractNames.MaskThreshold}");
            if (c.HasPrefilledPath)
                stdout.WriteLine($"optional:     prefilled float32 [N,3,{h},{w}] 0..255, the holes already pre-filled by the caller ({MetadataKeys.Prefilled}): the graph then runs only its network");
            stdout.WriteLine($"output:       inpainted float32 [N,3,{h},{w}] 0..255; pixels outside the hole are the input's");
            if (c.Family == ModelFamily.Center)
            {
                stdout.WriteLine($"family:       center (the article's context encoder): the generator fills only the centred {c.HoleSize}x{c.HoleSize} square " +
                                 $"of a {c.ImageSize}x{c.ImageSize} window (blank square {c.BlankSize}); `repair` places windows around each hole and scales them");
                stdout.WriteLine("options:      --max-magnification and --min-cell shape those windows; --tile and --context do not apply");
            }
            else
            {
                stdout.WriteLine($"family:       freeform (hole any): any mask at any size; the graph pre-fills the holes ({c.Prefill}) and adds a learned residual");
                stdout.WriteLine($"              trained on {c.ImageSize}px tiles; pads internally to multiples of {c.Stride}; smallest useful size {c.MinSize}px; " +
                                 $"wants {c.Context}px of known context around a hole");
                stdout.WriteLine("options:      --tile and --context set the tiles `repair` cuts large photos into; --max-magnification and --min-cell do not apply");
            }
            foreach (var (key, value) in c.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                if (key != MetadataKeys.Spec)
                    stdout.WriteLine($"  {key} = {value}");
            Providers(stdout);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Whether the file is a damage detector (<c>inpaint.task detect</c>), read from its metadata alone.</summary>
    private static bool IsDetector(string path)
    {
        try
        {
            using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { LogSeverityLevel = Microsoft.ML.OnnxRuntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path, options);
            return session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(MetadataKeys.Task) == ContractNames.DetectTask;
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return false; // not ONNX at all: InpaintModel.Load says so in its words
        }
    }

    private static int Detector(TextWriter stdout, string path)
    {
        using var loaded = DamageDetector.Load(path, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        var c = loaded.Contract;
        stdout.WriteLine($"model:        {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F2} MB)");
        stdout.WriteLine($"contract:     inpaint/{ContractNames.Version}, task {ContractNames.DetectTask} (a damage detector, not an inpainter)");
        stdout.WriteLine($"architecture: {c.Architecture}");
        stdout.WriteLine("input:        image float32 [N,3,H,W] 0..255");
        stdout.WriteLine($"output:       {ContractNames.DamageOutput} float32 [N,1,H,W] 0..1, the probability that a pixel is damage; damage from {c.Threshold:0.##} (its tuned threshold)");
        stdout.WriteLine($"family:       detector: trained on {c.ImageSize}px crops; pads internally to multiples of {c.Stride}; tiles carry {c.Context}px of context");
        stdout.WriteLine("use:          `inpaint detect PHOTO -o MASK.png`, `inpaint repair PHOTO --auto -o OUT` (--detector, --threshold)");
        foreach (var (key, value) in c.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (key != MetadataKeys.Spec)
                stdout.WriteLine($"  {key} = {value}");
        Providers(stdout);
        return ExitCodes.Ok;
    }

    private static void Providers(TextWriter stdout) =>
        stdout.WriteLine($"providers:    {string.Join(", ", InpaintModel.AvailableProviders())} (compiled into the native ONNX Runtime; CUDA also needs a GPU, CUDA 13 and cuDNN 9)");
}
