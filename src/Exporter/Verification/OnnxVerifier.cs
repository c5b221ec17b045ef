using Inpaint.Contract;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using Inpaint.Exporter.Onnx;

namespace Inpaint.Exporter.Verification;

/// <summary>One verification batch's result.</summary>
/// <param name="Name">Batch description.</param>
/// <param name="MaxGeneratedDifference">Largest |ONNX - TorchSharp| over generated pixels, 0..255 scale.</param>
/// <param name="KnownPixelsIdentical">Whether every pixel outside the filled region equals the input exactly.</param>
public sealed record VerificationResult(string Name, double MaxGeneratedDifference, bool KnownPixelsIdentical);

/// <summary>
/// Runs an exported model with ONNX Runtime (CPU) and the checkpoint's generator with TorchSharp on the same
/// inputs and compares them.
/// </summary>
public static class OnnxVerifier
{
    /// <summary>Compares on every batch.</summary>
    public static IReadOnlyList<VerificationResult> Verify(byte[] onnxModel, CenterGenerator generator, IEnumerable<VerificationBatch> batches)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnxModel, options);
        int s = generator.Spec.ImageSize;
        CenterSquare patch = CenterSquare.In(s, generator.Spec.Hole.Size);
        var results = new List<VerificationResult>();
        foreach (VerificationBatch batch in batches)
        {
            float[] onnx = Run(session, batch, s);
            float[] reference = ReferencePipeline.Run(generator, batch.Image, batch.Mask, batch.Batch);
            double maxDiff = 0;
            bool identical = true;
            for (int n = 0; n < batch.Batch; n++)
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < s; y++)
                        for (int x = 0; x < s; x++)
                        {
                            int i = ((n * 3 + c) * s + y) * s + x;
                            bool generated = patch.Contains(x, y) && batch.Mask[(n * s + y) * s + x] >= ContractNames.MaskThreshold;
                            if (generated) maxDiff = Math.Max(maxDiff, Math.Abs(onnx[i] - reference[i]));
                            else if (BitConverter.SingleToInt32Bits(onnx[i]) != BitConverter.SingleToInt32Bits(batch.Image[i])) identical = false;
                        }
            results.Add(new VerificationResult(batch.Name, maxDiff, identical));
        }
        return results;
    }

    /// <summary>Runs the contract graph on one batch with ONNX Runtime's OrtValue API.</summary>
    public static float[] Run(InferenceSession session, VerificationBatch batch, int size)
    {
        using var image = OrtValue.CreateTensorValueFromMemory(batch.Image, [batch.Batch, 3, size, size]);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.Mask, [batch.Batch, 1, size, size]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions,
            [ContractNames.ImageInput, ContractNames.MaskInput], [image, mask], [ContractNames.Output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
