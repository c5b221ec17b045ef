using System.Globalization;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// What an "inpaint/1" model says about itself in its metadata (see DESIGN.md): the contract, the architecture,
/// the input size and the hole the generator fills.
/// </summary>
public sealed record ModelContract
{
    /// <summary>Metadata keys every model must carry.</summary>
    public static IReadOnlyList<string> RequiredKeys { get; } = ["inpaint.contract", "inpaint.arch", "inpaint.image_size", "inpaint.hole"];

    /// <summary>Input names and output name of the contract.</summary>
    public const string ImageInput = "image", MaskInput = "mask", Output = "inpainted";

    /// <summary>Contract version (1).</summary>
    public required int Version { get; init; }

    /// <summary>Architecture name.</summary>
    public required string Architecture { get; init; }

    /// <summary>Side of the model's square input.</summary>
    public required int ImageSize { get; init; }

    /// <summary><c>center</c> (a patch model) or <c>any</c> (free-form).</summary>
    public required string HoleKind { get; init; }

    /// <summary>Side of the centre square a patch model fills (0 for <c>any</c>).</summary>
    public required int HoleSize { get; init; }

    /// <summary>Side of the square that is blanked before the generator (hole minus overlap).</summary>
    public required int BlankSize { get; init; }

    /// <summary>All metadata, including the training facts.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Reads and checks the contract metadata.</summary>
    /// <exception cref="InvalidDataException">Not an inpaint/1 model; the message names what is missing.</exception>
    public static ModelContract Parse(IReadOnlyDictionary<string, string> metadata, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var missing = RequiredKeys.Where(k => !metadata.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"this ONNX model is not an Inpaint model (contract inpaint/1): its metadata lacks {string.Join(", ", missing)}");
        if (!int.TryParse(metadata["inpaint.contract"], NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version != 1)
            throw new InvalidDataException($"the model declares contract '{metadata["inpaint.contract"]}'; this library reads contract 1");
        if (!int.TryParse(metadata["inpaint.image_size"], NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 8)
            throw new InvalidDataException($"inpaint.image_size '{metadata["inpaint.image_size"]}' is not a valid size");
        string[] hole = metadata["inpaint.hole"].Split(':');
        int holeSize = 0;
        if (hole[0] == "center")
        {
            if (hole.Length != 2 || !int.TryParse(hole[1], NumberStyles.None, CultureInfo.InvariantCulture, out holeSize) || holeSize <= 0 || holeSize > size)
                throw new InvalidDataException($"inpaint.hole '{metadata["inpaint.hole"]}' is not a valid centre hole for a {size}px model");
        }
        else if (hole[0] != "any")
        {
            throw new InvalidDataException($"inpaint.hole '{metadata["inpaint.hole"]}' is not supported (center:N or any)");
        }
        int blank = holeSize;
        if (metadata.TryGetValue("inpaint.blank", out string? b) && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
            blank = Math.Min(parsed, holeSize == 0 ? parsed : holeSize);
        var inputList = inputs.ToList();
        foreach (string name in new[] { ImageInput, MaskInput })
            if (!inputList.Contains(name)) throw new InvalidDataException($"the model has no '{name}' input (it has {string.Join(", ", inputList)})");
        if (!outputs.Contains(Output)) throw new InvalidDataException($"the model has no '{Output}' output");
        return new ModelContract
        {
            Version = version, Architecture = metadata["inpaint.arch"], ImageSize = size, HoleKind = hole[0], HoleSize = holeSize,
            BlankSize = blank, Metadata = metadata,
        };
    }
}
