namespace Inpaint.Hosting;

/// <summary>Finds the model to use: the one the user named, else the shipped default next to the program or in ./models.</summary>
public static class ModelLocator
{
    /// <summary>The shipped default model's file name (models/ in the repository).</summary>
    public const string DefaultModelName = "inpaint-freeform.onnx";

    /// <summary>The shipped damage detector's file name (models/ in the repository).</summary>
    public const string DefaultDetectorName = "inpaint-detector.onnx";

    /// <summary>Resolves the damage detector's path (<see cref="Resolve(string?, string)"/> with <see cref="DefaultDetectorName"/>).</summary>
    /// <exception cref="UserError">The named detector does not exist, or no default was found.</exception>
    public static string ResolveDetector(string? detector) => Resolve(detector, DefaultDetectorName);

    /// <summary>Resolves the model path.</summary>
    /// <param name="model">The model the user named; null or blank: the shipped default.</param>
    /// <exception cref="UserError">The named model does not exist, or no default was found.</exception>
    public static string Resolve(string? model) => Resolve(model, DefaultModelName);

    /// <summary>Resolves a model path: the one named, else <paramref name="defaultName"/> in <c>models/</c> next to the program or in the working folder.</summary>
    /// <exception cref="UserError">The named model does not exist, or no default was found.</exception>
    public static string Resolve(string? model, string defaultName)
    {
        if (!string.IsNullOrWhiteSpace(model))
        {
            if (!File.Exists(model)) throw new UserError($"model '{model}' does not exist");
            return model;
        }
        string[] candidates = Candidates(defaultName);
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new UserError($"no model given and the shipped model '{defaultName}' was not found in {string.Join(" or ", candidates.Select(Path.GetDirectoryName))}");
    }

    /// <summary>The shipped model <paramref name="defaultName"/> where <see cref="Resolve(string?, string)"/> looks for it; null when it is in neither place.</summary>
    public static string? FindShipped(string defaultName) => Candidates(defaultName).FirstOrDefault(File.Exists);

    /// <summary>models/ next to the program, then in the working folder.</summary>
    private static string[] Candidates(string defaultName) =>
    [
        Path.Combine(AppContext.BaseDirectory, "models", defaultName),
        Path.Combine(Directory.GetCurrentDirectory(), "models", defaultName),
    ];
}
