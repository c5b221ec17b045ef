using System.Text.Json.Nodes;
using Inpaint.Trainer.Data;

namespace Inpaint.Trainer.Training;

/// <summary>The training facts every checkpoint carries (and the exporter publishes): data, steps, time, validation.</summary>
internal static class TrainingFacts
{
    /// <summary>What every family records; the family adds its own (<c>AddFacts</c>), then <see cref="AddValidation"/>.</summary>
    public static JsonObject Common(TrainOptions options, DataSplit split, long step, int epochLength, double trainSeconds) => new()
    {
        ["trainer"] = "inpaint-train",
        ["data"] = new JsonObject
        {
            // The folder's own name only: a machine's absolute paths do not belong in a shipped model.
            ["folder"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDir))),
            ["train_images"] = split.Train.Count,
            ["validation_images"] = split.Validation.Count,
            ["validation"] = new JsonArray(split.Validation.Select(v => (JsonNode)v.RelativePath).ToArray()),
            ["skipped_files"] = split.Skipped.Count,
        },
        ["steps"] = step,
        ["epochs"] = Math.Round((double)step * options.BatchSize / epochLength, 3),
        ["batch_size"] = options.BatchSize,
        ["seed"] = options.Seed,
        ["device"] = options.Device,
        ["train_seconds"] = Math.Round(trainSeconds, 1),
        ["saved_utc"] = DateTime.UtcNow.ToString("O"),
    };

    /// <summary>The last validation and the best one so far, when there were any.</summary>
    public static void AddValidation(JsonObject facts, ValidationSummary? last, long step, double bestScore, long bestStep)
    {
        if (last is { Images: > 0 } v)
        {
            var validation = v.Facts.DeepClone().AsObject();
            validation["images"] = v.Images;
            validation["step"] = step;
            facts["validation"] = validation;
        }
        if (!double.IsNaN(bestScore)) facts["best_validation"] = new JsonObject { ["score"] = Math.Round(bestScore, 4), ["step"] = bestStep };
    }
}
