using System.Text.Json.Nodes;
using Inpaint.Exporter.Onnx;
using Inpaint.Models;

namespace Inpaint.Exporter.Verification;

/// <summary>
/// The exporter's check before it writes anything: the graph against TorchSharp on the checkpoint's own generator, on
/// synthetic batches and on real photos (<c>--verify-images</c>, else the training data folder when it exists here).
/// </summary>
internal static class ExportVerification
{
    /// <summary>Verifies; every result is logged.</summary>
    /// <exception cref="UserError">A difference over <paramref name="tolerance"/>, or a changed known pixel.</exception>
    public static IReadOnlyList<VerificationResult> Run(byte[] bytes, TorchSharp.torch.nn.Module generator, CheckpointWeights weights, string? extraImages,
        double tolerance, Action<string> log)
    {
        var results = generator switch
        {
            FreeformGenerator freeform => Freeform(bytes, freeform, weights, extraImages, log),
            DamageNet detector => DetectorVerification.Verify(bytes, detector, RealPhotos(extraImages, weights.TrainingFacts, weights.Spec.ImageSize, 1, log)),
            _ => Center(bytes, (CenterGenerator)generator, weights, extraImages, log),
        };
        foreach (var r in results)
            log(generator is DamageNet
                ? $"verify {r.Name}: max |onnx - torch| = {r.MaxGeneratedDifference:G4} in damage probability"
                : $"verify {r.Name}: max |onnx - torch| = {r.MaxGeneratedDifference:G4} on generated pixels; known pixels {(r.KnownPixelsIdentical ? "identical" : "CHANGED")}");
        var worst = results.MaxBy(r => r.MaxGeneratedDifference)!;
        if (worst.MaxGeneratedDifference > tolerance)
            throw new UserError($"verification failed: ONNX and TorchSharp differ by {worst.MaxGeneratedDifference:G4} (on {worst.Name}), above the tolerance {tolerance}; nothing was written");
        if (results.Any(r => !r.KnownPixelsIdentical))
            throw new UserError("verification failed: known pixels were changed by the exported graph; nothing was written");
        return results;
    }

    private static IReadOnlyList<VerificationResult> Center(byte[] bytes, CenterGenerator generator, CheckpointWeights weights, string? extraImages, Action<string> log)
    {
        int s = weights.Spec.ImageSize, p = weights.Spec.Hole.Size;
        var batches = VerificationInputs.Synthetic(s, p).ToList();
        if (RealPhotos(extraImages, weights.TrainingFacts, s, p, log) is { } photos) batches.Add(photos);
        return OnnxVerifier.Verify(bytes, generator, batches);
    }

    private static IReadOnlyList<VerificationResult> Freeform(byte[] bytes, FreeformGenerator generator, CheckpointWeights weights, string? extraImages, Action<string> log)
    {
        var batches = FreeformVerification.Synthetic().ToList();
        if (RealPhotos(extraImages, weights.TrainingFacts, weights.Spec.ImageSize, 1, log) is { } photos) batches.Add(FreeformVerification.Photos(photos));
        return FreeformVerification.Verify(bytes, generator, batches);
    }

    /// <summary>
    /// A batch of real photos: from <paramref name="extraImages"/>, else from the checkpoint's training folder. The
    /// checkpoint stores that folder by its name only (no machine paths), so it is looked for as given and under
    /// <c>data/</c>, the project's layout; where neither holds it, the log says the check on real photos is skipped.
    /// </summary>
    private static VerificationBatch? RealPhotos(string? extraImages, string factsJson, int size, int hole, Action<string> log)
    {
        if (extraImages is not null)
        {
            if (VerificationInputs.Photos(extraImages, size, hole) is { } given) return given with { Name = $"{given.Name} from {extraImages}" };
            log($"verify: no readable photos in '{extraImages}'");
        }
        if (DataFolderOf(factsJson) is not { } name) return null;
        string? folder = new[] { name, Path.Combine("data", name) }.FirstOrDefault(Directory.Exists);
        if (folder is not null && VerificationInputs.Photos(folder, size, hole) is { } training) return training with { Name = $"{training.Name} from {folder}" };
        log(folder is null
            ? $"verify: the training photos ('{name}', as the checkpoint names them) are not in '{name}' or '{Path.Combine("data", name)}' here: the check on real photos is skipped (--verify-images DIR runs it)"
            : $"verify: no readable photos in '{folder}'");
        return null;
    }

    private static string? DataFolderOf(string factsJson)
    {
        try
        {
            return JsonNode.Parse(factsJson)?["data"]?["folder"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
