using System.CommandLine;
using System.Text.Json;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using Inpaint.Contract;
using Inpaint.Models;

namespace Inpaint.Trainer.Cli;

/// <summary>
/// The <c>inpaint-train</c> command: <c>train</c>, <c>import-pytorch</c>, <c>info</c>, <c>spec</c>, <c>prefill</c> and
/// <c>profile</c>. Exit codes are <see cref="ExitCodes"/>' (130: interrupted, a checkpoint was written).
/// </summary>
public static class TrainerCli
{
    private static readonly CommandRunner Runner = new("inpaint-train", "Show details (stack traces on internal errors)");

    /// <summary>Parses and runs; never throws.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        var root = new RootCommand("Trains inpainting networks (the center and freeform families) with TorchSharp and manages their checkpoints.");
        root.Subcommands.Add(TrainCommand.Build(stdout, stderr, cancellation));
        root.Subcommands.Add(BuildImport(stdout));
        root.Subcommands.Add(BuildInfo(stdout));
        root.Subcommands.Add(BuildSpec(stdout));
        root.Subcommands.Add(PrefillCommand.Build(stdout));
        root.Subcommands.Add(ProfileCommand.Build(stdout));
        return Runner.Run(root, args, stdout, stderr, cancellation);
    }

    private static Command BuildImport(TextWriter stdout)
    {
        var input = new Argument<string>("checkpoint") { Description = "A .pth file saved by the article's PyTorch code" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write model.safetensors", Required = true };
        var arch = new Option<string?>("--arch") { Description = $"Architecture to map the weights onto ({string.Join(", ", Architectures.Names)}); default: read off the weights" };
        var size = new Option<int>("--image-size") { Description = "Input side of the imported generator", DefaultValueFactory = _ => 128 };
        var command = new Command("import-pytorch", "Converts the article's PyTorch generator checkpoint into an Inpaint checkpoint") { input, output, arch, size };
        command.SetAction(p =>
        {
            string outPath = p.GetValue(output)!;
            string inPath = p.GetValue(input)!;
            if (Path.GetFullPath(outPath) == Path.GetFullPath(inPath)) throw new UserError("the output would overwrite the input");
            string? dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (dir is not null && !Directory.Exists(dir)) throw new UserError($"output folder '{dir}' does not exist");
            var (generator, facts) = PyTorchImport.Import(inPath, p.GetValue(arch), p.GetValue(size));
            using (generator)
            {
                try
                {
                    GeneratorCheckpoint.Save(outPath, generator, facts);
                }
                catch (IOException e)
                {
                    throw new UserError($"cannot write '{outPath}': {e.Message}");
                }
                stdout.WriteLine($"imported '{generator.Spec.Architecture}' generator ({generator.Spec.ParameterCount:N0} parameters) to {outPath}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildSpec(TextWriter stdout)
    {
        var arch = new Argument<string>("architecture") { Description = $"{string.Join(", ", Architectures.Names)}, or a spec JSON file to check" };
        var command = new Command("spec", "Prints an architecture's spec as JSON: a starting point for --arch FILE.json") { arch };
        command.SetAction(p =>
        {
            ModelSpec spec = Architectures.Resolve(p.GetValue(arch)!);
            stdout.WriteLine(JsonSerializer.Serialize(spec, new JsonSerializerOptions { WriteIndented = true }));
            stdout.WriteLine($"// {spec.ParameterCount:N0} parameters, {spec.ImageSize}x{spec.ImageSize} in, hole {spec.Hole.Describe()}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildInfo(TextWriter stdout)
    {
        var input = new Argument<string>("checkpoint") { Description = "A model.safetensors or a run folder" };
        var command = new Command("info", "Shows a checkpoint's architecture, parameter count and training facts") { input };
        command.SetAction(p =>
        {
            string path = CheckpointLocator.Resolve(p.GetValue(input)!);
            var (spec, facts) = GeneratorCheckpoint.ReadSpec(path);
            stdout.WriteLine($"checkpoint:   {path}");
            stdout.WriteLine($"architecture: {spec.Architecture} ({spec.ParameterCount:N0} parameters, {spec.Layers.Count} layers)");
            stdout.WriteLine($"input:        3x{spec.ImageSize}x{spec.ImageSize}, hole {spec.Hole.Describe()}, overlap {spec.Hole.Overlap}, fill [{string.Join(", ", spec.Hole.Fill)}]");
            stdout.WriteLine($"training:     {facts}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
