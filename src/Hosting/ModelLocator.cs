namespace Inpaint.Hosting;

/// <summary>Finds the model to use: the one the user named, else the shipped default next to the program or in ./models.</summary>
public static class ModelLocator
{
    /// <summary>The shipped default model's file name (models/ in the repository).</summary>
    public const string DefaultModelName = "inpaint-freeform.onnx";

    /// <summary>Resolves the model path.</summary>
    /// <param name="model">The model the user named; null or blank: the shipped default.</param>
    /// <exception cref="UserError">The named model does not exist, or no default was found.</exception>
    public static string Resolve(string? model)
    {
        if (!string.IsNullOrWhiteSpace(model))
        {
            if (!File.Exists(model)) throw new UserError($"model '{model}' does not exist");
            return model;
        }
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "models", DefaultModelName),
            Path.Combine(Directory.GetCurrentDirectory(), "models", DefaultModelName),
        ];
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new UserError($"no model given and the shipped model '{DefaultModelName}' was not found in {string.Join(" or ", candidates.Select(Path.GetDirectoryName))}");
    }
}
