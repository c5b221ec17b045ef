using Inpaint.Contract;
using Inpaint.Masks;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Verification;

/// <summary>A batch of freeform contract inputs (0..255) of any size.</summary>
/// <param name="Name">What the batch is, for the report.</param>
/// <param name="Image">[N,3,H,W].</param>
/// <param name="Mask">[N,1,H,W].</param>
/// <param name="Batch">N.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
public sealed record FreeformBatchInput(string Name, float[] Image, float[] Mask, int Batch, int Height, int Width);

/// <summary>
/// Verifies a freeform export: ONNX Runtime against <see cref="FreeformGenerator"/> in TorchSharp on sizes other
/// than the training tile (odd ones included), several batch sizes, every mask kind, an all-known and an
/// all-hole mask, and real photos when given.
/// </summary>
public static class FreeformVerification
{
    /// <summary>(height, width, batch) of the synthetic checks.</summary>
    public static IReadOnlyList<(int Height, int Width, int Batch)> Sizes { get; } = [(128, 128, 1), (96, 200, 3), (384, 512, 1), (97, 131, 2), (33, 45, 2)];

    /// <summary>Smooth synthetic scenes with one mask kind per image, plus all-known and all-hole batches.</summary>
    public static IEnumerable<FreeformBatchInput> Synthetic(int seed = 1)
    {
        var rng = new Random(seed);
        var kinds = Enum.GetValues<MaskKind>();
        int k = 0;
        foreach (var (h, w, n) in Sizes)
        {
            var image = Scene(n, h, w, rng);
            var mask = new float[n * h * w];
            var names = new List<string>();
            for (int i = 0; i < n; i++, k++)
            {
                MaskKind kind = kinds[k % kinds.Length];
                names.Add(kind.Word());
                byte[] coverage = MaskGenerator.Coverage(kind, w, h, new Random(seed * 131 + k));
                for (int p = 0; p < h * w; p++) mask[i * h * w + p] = coverage[p];
            }
            yield return new FreeformBatchInput($"{w}x{h} x{n} ({string.Join(", ", names)})", image, mask, n, h, w);
        }
        yield return new FreeformBatchInput("160x120 x2 all known", Scene(2, 120, 160, rng), new float[2 * 120 * 160], 2, 120, 160);
        yield return new FreeformBatchInput("160x120 x2 all hole", Scene(2, 120, 160, rng), Enumerable.Repeat(255f, 2 * 120 * 160).ToArray(), 2, 120, 160);
    }

    /// <summary>Photo crops of <paramref name="crops"/> (already 0..255 CHW at 128x128) with mixed masks.</summary>
    public static FreeformBatchInput Photos(VerificationBatch crops)
    {
        int s = (int)Math.Round(Math.Sqrt(crops.Image.Length / 3.0 / crops.Batch));
        var mask = new float[crops.Batch * s * s];
        for (int i = 0; i < crops.Batch; i++)
        {
            byte[] coverage = MaskGenerator.Coverage(MaskMix.Default, s, s, new Random(100 + i));
            for (int p = 0; p < s * s; p++) mask[i * s * s + p] = coverage[p];
        }
        return new FreeformBatchInput(crops.Name, crops.Image, mask, crops.Batch, s, s);
    }

    /// <summary>
    /// Compares ONNX Runtime and TorchSharp on every batch; for a model with the pre-filled path, that path too, fed with
    /// the managed pre-fill the runtime uses (<see cref="HarmonicFill"/>).
    /// </summary>
    public static IReadOnlyList<VerificationResult> Verify(byte[] onnxModel, FreeformGenerator generator, IEnumerable<FreeformBatchInput> batches)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnxModel, options);
        bool prefilledPath = ModelContract.From(generator.Spec).HasPrefilledPath;
        var fill = new HarmonicFill(generator.Spec.Prefill!);
        var results = new List<VerificationResult>();
        foreach (FreeformBatchInput batch in batches)
        {
            float[] reference = Reference(generator, batch);
            results.Add(Compare(batch.Name, Run(session, batch), reference, batch, batch.Image));
            if (!prefilledPath) continue;
            float[] prefilled = Prefilled(fill, batch);
            results.Add(Compare($"{batch.Name}, pre-filled path", RunPrefilled(session, batch, prefilled), reference, batch, batch.Image));
        }
        return results;
    }

    /// <summary>The largest difference to the reference over hole pixels, and whether every known pixel is the input's own bits.</summary>
    private static VerificationResult Compare(string name, float[] onnx, float[] reference, FreeformBatchInput batch, float[] known)
    {
        int plane = batch.Height * batch.Width;
        double maxDiff = 0;
        bool identical = true;
        for (int n = 0; n < batch.Batch; n++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < plane; p++)
                {
                    int i = (n * 3 + c) * plane + p;
                    if (batch.Mask[n * plane + p] >= ContractNames.MaskThreshold) maxDiff = Math.Max(maxDiff, Math.Abs(onnx[i] - reference[i]));
                    else if (BitConverter.SingleToInt32Bits(onnx[i]) != BitConverter.SingleToInt32Bits(known[i])) identical = false;
                }
        return new VerificationResult(name, maxDiff, identical);
    }

    /// <summary>Each image of the batch with its holes pre-filled in managed code, 0..255.</summary>
    public static float[] Prefilled(HarmonicFill fill, FreeformBatchInput batch)
    {
        int plane = batch.Height * batch.Width;
        var prefilled = new float[batch.Image.Length];
        for (int n = 0; n < batch.Batch; n++)
        {
            var holes = new bool[plane];
            for (int p = 0; p < plane; p++) holes[p] = batch.Mask[n * plane + p] >= ContractNames.MaskThreshold;
            fill.Fill(batch.Image.AsSpan(n * 3 * plane, 3 * plane), holes, 3, batch.Height, batch.Width, prefilled.AsSpan(n * 3 * plane, 3 * plane),
                nothingKnown: PixelNormalisation.HalfRange);
        }
        return prefilled;
    }

    /// <summary>Runs the graph with its optional <c>prefilled</c> input fed: the pre-fill is the caller's.</summary>
    public static float[] RunPrefilled(InferenceSession session, FreeformBatchInput batch, float[] prefilled)
    {
        using var image = OrtValue.CreateTensorValueFromMemory(batch.Image, [batch.Batch, 3, batch.Height, batch.Width]);
        using var input = OrtValue.CreateTensorValueFromMemory(prefilled, [batch.Batch, 3, batch.Height, batch.Width]);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.Mask, [batch.Batch, 1, batch.Height, batch.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ContractNames.ImageInput, ContractNames.MaskInput, ContractNames.PrefilledInput],
            [image, mask, input], [ContractNames.Output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Runs the contract graph on one batch.</summary>
    public static float[] Run(InferenceSession session, FreeformBatchInput batch)
    {
        using var image = OrtValue.CreateTensorValueFromMemory(batch.Image, [batch.Batch, 3, batch.Height, batch.Width]);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.Mask, [batch.Batch, 1, batch.Height, batch.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ContractNames.ImageInput, ContractNames.MaskInput], [image, mask], [ContractNames.Output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The contract computed by TorchSharp: normalise, forward, back to 0..255, clip, keep known pixels.</summary>
    public static float[] Reference(FreeformGenerator generator, FreeformBatchInput batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.eval();
        Tensor img = tensor(batch.Image, [batch.Batch, 3, batch.Height, batch.Width]);
        Tensor holeBool = PixelTensors.Holes(tensor(batch.Mask, [batch.Batch, 1, batch.Height, batch.Width]));
        Tensor hole = holeBool.to_type(ScalarType.Float32);
        Tensor output = generator.forward(PixelTensors.ToNetwork(img), hole);
        Tensor generated = PixelTensors.ToPixels(output);
        return where(holeBool, generated, img).data<float>().ToArray();
    }

    private static float[] Scene(int n, int h, int w, Random rng)
    {
        var image = new float[n * 3 * h * w];
        for (int i = 0; i < n; i++)
        {
            double fx = 0.02 + 0.1 * rng.NextDouble(), fy = 0.02 + 0.1 * rng.NextDouble(), phase = rng.NextDouble() * 6;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        image[((i * 3 + c) * h + y) * w + x] = MathF.Round((float)(128 + 100 * Math.Sin(fx * x * (c + 1) + fy * y + phase) + 20 * (rng.NextDouble() - 0.5)));
        }
        return image;
    }
}
