namespace Inpaint.Exporter.Onnx;

/// <summary>
/// Folds an eval-mode BatchNorm into the convolution before it: with s = gamma / sqrt(var + eps), the weight
/// of each output channel c is scaled by s[c] and the bias becomes (b - mean) * s + beta. Computed in double.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>A convolution's weights and bias.</summary>
    /// <param name="Weight">Weights in PyTorch layout.</param>
    /// <param name="Bias">Bias per output channel.</param>
    public sealed record Folded(float[] Weight, float[] Bias);

    /// <summary>
    /// Folds. <paramref name="transposed"/> selects the layout: Conv weights are [out, in, k, k], ConvTranspose
    /// weights [in, out, k, k] (groups = 1).
    /// </summary>
    public static Folded Fold(float[] weight, long[] shape, float[]? bias, bool transposed,
        float[] gamma, float[] beta, float[] mean, float[] variance, double eps)
    {
        int outChannels = (int)(transposed ? shape[1] : shape[0]);
        int inChannels = (int)(transposed ? shape[0] : shape[1]);
        int kernel = (int)(shape[2] * shape[3]);
        var scale = new double[outChannels];
        var newBias = new float[outChannels];
        for (int c = 0; c < outChannels; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + eps);
            newBias[c] = (float)(((bias?[c] ?? 0f) - (double)mean[c]) * scale[c] + beta[c]);
        }
        var newWeight = new float[weight.Length];
        for (int i = 0; i < inChannels; i++)
            for (int o = 0; o < outChannels; o++)
            {
                int offset = transposed ? (i * outChannels + o) * kernel : (o * inChannels + i) * kernel;
                for (int k = 0; k < kernel; k++) newWeight[offset + k] = (float)(weight[offset + k] * scale[o]);
            }
        return new Folded(newWeight, newBias);
    }
}
