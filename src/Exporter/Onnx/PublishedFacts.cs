using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// The training facts as a shipped model states them: the data folder by its name only. Checkpoints written before
/// the trainer stored the name kept the training machine's absolute path, which has no meaning elsewhere and does
/// not belong in a file that is handed around. The exporter still reads the full path from the checkpoint itself
/// to find photos for its verification.
/// </summary>
public static class PublishedFacts
{
    /// <summary>The facts JSON with <c>data.folder</c> reduced to its last component; other JSON is returned as it is.</summary>
    public static string Of(string factsJson)
    {
        JsonNode? facts;
        try
        {
            facts = JsonNode.Parse(factsJson);
        }
        catch (JsonException)
        {
            return factsJson;
        }
        if (facts?["data"] is not JsonObject data || data["folder"] is not JsonValue value || !value.TryGetValue(out string? folder)
            || !Path.IsPathRooted(folder))
            return factsJson;
        data["folder"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        return facts.ToJsonString();
    }
}
