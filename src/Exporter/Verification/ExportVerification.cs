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
        var results = generator is FreeformGenerator freeform
            ? Freeform(bytes, freeform, weights, extraImages, log)
            : Center(bytes, (CenterGenerator)generator, weights, extraImages, log);
        foreach (var r in results)
            log($"verify {r.Name}: max |onnx - torch| = {r.MaxGeneratedDifference:G4} on generated pixels; known pixels {(r.KnownPixelsIdentical ? "identical" : "CHANGED")}");
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
        foreach (string? folder in new[] { extraImages, DataFolderOf(weights.TrainingFacts) })
        {
            if (folder is null) continue;
            if (VerificationInputs.Photos(folder, s, p) is { } photos)
            {
                batches.Add(photos with { Name = $"{photos.Name} from {folder}" });
                break;
            }
            log($"verify: no readable photos in '{folder}'");
        }
        return OnnxVerifier.Verify(bytes, generator, batches);
    }

    private static IReadOnlyList<VerificationResult> Freeform(byte[] bytes, FreeformGenerator generator, CheckpointWeights weights, string? extraImages, Action<string> log)
    {
        var batches = FreeformVerification.Synthetic().ToList();
        foreach (string? folder in new[] { extraImages, DataFolderOf(weights.TrainingFacts) })
        {
            if (folder is null) continue;
            if (VerificationInputs.Photos(folder, weights.Spec.ImageSize, 1) is { } photos)
            {
                batches.Add(FreeformVerification.Photos(photos with { Name = $"{photos.Name} from {folder}" }));
                break;
            }
            log($"verify: no readable photos in '{folder}'");
        }
        return FreeformVerification.Verify(bytes, generator, batches);
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
