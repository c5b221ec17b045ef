using System.Diagnostics;
using Inpaint.Contract;
using Inpaint.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Inpaint.Exporter.Verification;

/// <summary>One timing of the comparison.</summary>
/// <param name="Batch">Images per call.</param>
/// <param name="TorchMsPerImage">TorchSharp eager (eval mode, no_grad, the contract's pre/post-processing included).</param>
/// <param name="OnnxMsPerImage">ONNX Runtime on the exported graph (CPU provider, all optimisations).</param>
public sealed record SpeedResult(int Batch, double TorchMsPerImage, double OnnxMsPerImage);

/// <summary>Times the same weights in TorchSharp eager and in ONNX Runtime, in one process, one after the other.</summary>
public static class SpeedComparison
{
    /// <summary>Measures each batch size for about <paramref name="seconds"/> per engine.</summary>
    public static IReadOnlyList<SpeedResult> Measure(byte[] onnxModel, CenterGenerator generator, IEnumerable<int> batches, double seconds, int threads)
    {
        if (threads > 0) set_num_threads(threads);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (threads > 0) options.IntraOpNumThreads = threads;
        using var session = new InferenceSession(onnxModel, options);
        int s = generator.Spec.ImageSize;
        var results = new List<SpeedResult>();
        foreach (int n in batches)
        {
            var batch = VerificationInputs.Synthetic(s, generator.Spec.Hole.Size).First(b => b.Batch == 1);
            var image = Enumerable.Range(0, n).SelectMany(_ => batch.Image).ToArray();
            var mask = Enumerable.Range(0, n).SelectMany(_ => batch.Mask).ToArray();
            var input = new VerificationBatch($"x{n}", image, mask, n);
            double torch = Time(() => ReferencePipeline.Run(generator, image, mask, n), seconds) / n;
            double onnx = Time(() => OnnxVerifier.Run(session, input, s), seconds) / n;
            results.Add(new SpeedResult(n, torch * 1000, onnx * 1000));
        }
        return results;
    }

    /// <summary>The same for a freeform generator, on 128x128 tiles with mixed masks.</summary>
    public static IReadOnlyList<SpeedResult> Measure(byte[] onnxModel, FreeformGenerator generator, IEnumerable<int> batches, double seconds, int threads)
    {
        if (threads > 0) set_num_threads(threads);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (threads > 0) options.IntraOpNumThreads = threads;
        using var session = new InferenceSession(onnxModel, options);
        FreeformBatchInput one = FreeformVerification.Synthetic().First(b => b.Batch == 1);
        var results = new List<SpeedResult>();
        foreach (int n in batches)
        {
            var input = new FreeformBatchInput($"x{n}", Enumerable.Range(0, n).SelectMany(_ => one.Image).ToArray(),
                Enumerable.Range(0, n).SelectMany(_ => one.Mask).ToArray(), n, one.Height, one.Width);
            double torch = Time(() => FreeformVerification.Reference(generator, input), seconds) / n;
            double onnx = Time(() => FreeformVerification.Run(session, input), seconds) / n;
            results.Add(new SpeedResult(n, torch * 1000, onnx * 1000));
        }
        return results;
    }

    private static double Time(Action run, double seconds)
    {
        run(); // warm-up
        var timer = Stopwatch.StartNew();
        int count = 0;
        while (timer.Elapsed.TotalSeconds < seconds || count < 3)
        {
            run();
            count++;
        }
        return timer.Elapsed.TotalSeconds / count;
    }
}
