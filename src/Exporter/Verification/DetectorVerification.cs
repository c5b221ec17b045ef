using Inpaint.Contract;
using Inpaint.Masks;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Verification;

/// <summary>
/// Verifies a detector export: ONNX Runtime against <see cref="DamageNet.Probabilities"/> in TorchSharp on photos with
/// synthetic damage at sizes other than the training crop (odd ones, several batch sizes), and on real photos when given.
/// </summary>
public static class DetectorVerification
{
    /// <summary>(height, width, batch) of the synthetic checks.</summary>
    public static IReadOnlyList<(int Height, int Width, int Batch)> Sizes { get; } = [(128, 128, 1), (96, 200, 3), (97, 131, 2), (33, 45, 2), (256, 320, 1)];

    /// <summary>Compares the two on smooth scenes with damage of every kind drawn on them, and on <paramref name="photos"/> when given.</summary>
    public static IReadOnlyList<VerificationResult> Verify(byte[] onnxModel, DamageNet net, VerificationBatch? photos)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnxModel, options);
        var results = new List<VerificationResult>();
        int k = 0;
        var rng = new Random(1);
        foreach (var (h, w, n) in Sizes)
        {
            var image = new float[n * 3 * h * w];
            var names = new List<string>();
            for (int i = 0; i < n; i++, k++)
            {
                Span<float> one = image.AsSpan(i * 3 * h * w, 3 * h * w);
                Scene(one, h, w, rng);
                DamageKind kind = DamageKinds.All[k % DamageKinds.All.Count];
                DamageRenderer.Draw(kind, one, w, h, 0f, 255f, new Random(31 + k), new bool[h * w]);
                names.Add(kind.Word());
            }
            results.Add(Compare($"{w}x{h} x{n} ({string.Join(", ", names)})", session, net, image, n, h, w));
        }
        if (photos is not null)
        {
            int s = (int)Math.Round(Math.Sqrt(photos.Image.Length / 3.0 / photos.Batch));
            results.Add(Compare(photos.Name, session, net, photos.Image, photos.Batch, s, s));
        }
        return results;
    }

    private static VerificationResult Compare(string name, InferenceSession session, DamageNet net, float[] image, int n, int h, int w)
    {
        float[] onnx = Run(session, image, n, h, w);
        float[] reference = Reference(net, image, n, h, w);
        double max = 0;
        for (int i = 0; i < onnx.Length; i++) max = Math.Max(max, Math.Abs(onnx[i] - reference[i]));
        // A detector changes no pixel: there are no known pixels to keep.
        return new VerificationResult(name, max, KnownPixelsIdentical: true);
    }

    /// <summary>Runs the detector graph on images 0..255 [N,3,H,W]: damage probabilities [N,1,H,W].</summary>
    public static float[] Run(InferenceSession session, float[] image, int n, int h, int w)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(image, [n, 3, h, w]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ContractNames.ImageInput], [input], [ContractNames.DamageOutput]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The same in TorchSharp: normalise, forward, sigmoid.</summary>
    public static float[] Reference(DamageNet net, float[] image, int n, int h, int w)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        return net.Probabilities(PixelTensors.ToNetwork(tensor(image, [n, 3, h, w]))).data<float>().ToArray();
    }

    private static void Scene(Span<float> image, int h, int w, Random rng)
    {
        double fx = 0.02 + 0.1 * rng.NextDouble(), fy = 0.02 + 0.1 * rng.NextDouble(), phase = rng.NextDouble() * 6;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    image[(c * h + y) * w + x] = MathF.Round((float)(128 + 100 * Math.Sin(fx * x * (c + 1) + fy * y + phase) + 20 * (rng.NextDouble() - 0.5)));
    }
}
