using System.CommandLine;
using Inpaint.OnnxInpaint;

namespace Inpaint.Cli;

/// <summary><c>inpaint info MODEL</c>: contract, metadata, inputs and outputs, providers on this machine.</summary>
internal static class InfoCommand
{
    public static Command Build(TextWriter stdout)
    {
        var model = new Argument<string?>("model") { Description = "An Inpaint ONNX model (default: the shipped one)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("info", "Shows a model's contract, metadata, inputs and outputs, and the execution providers of this machine") { model };
        command.SetAction(p =>
        {
            string path = ModelLocator.Resolve(p.GetValue(model));
            using var loaded = InpaintModel.Load(path, new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
            var c = loaded.Contract;
            stdout.WriteLine($"model:        {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F2} MB)");
            stdout.WriteLine($"contract:     inpaint/{c.Version}");
            stdout.WriteLine($"architecture: {c.Architecture}");
            stdout.WriteLine($"input:        image float32 [N,3,{c.ImageSize},{c.ImageSize}] 0..255; mask float32 [N,1,{c.ImageSize},{c.ImageSize}] 0..255, hole >= 127.5");
            stdout.WriteLine($"output:       inpainted float32 [N,3,{c.ImageSize},{c.ImageSize}] 0..255");
            stdout.WriteLine($"hole:         {c.Metadata["inpaint.hole"]} (blank square {c.BlankSize})");
            foreach (var (key, value) in c.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                if (key is not ("inpaint.spec"))
                    stdout.WriteLine($"  {key} = {value}");
            stdout.WriteLine($"providers:    {string.Join(", ", InpaintModel.AvailableProviders())} (compiled into the native ONNX Runtime; CUDA also needs a GPU, CUDA 13 and cuDNN 9)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
