using System.Text.Json.Serialization;

namespace Inpaint.Contract;

/// <summary>The kinds of layer a <see cref="ModelSpec"/> can hold.</summary>
public static class LayerKinds
{
    /// <summary>A 2-D convolution (PyTorch weight layout [out, in, k, k]).</summary>
    public const string Conv = "conv";

    /// <summary>A 2-D transposed convolution (PyTorch weight layout [in, out, k, k]).</summary>
    public const string ConvTranspose = "conv_transpose";

    /// <summary>Nearest-neighbour upsampling by <see cref="LayerSpec.Stride"/> (no weights; channels unchanged).</summary>
    public const string Upsample = "upsample";
}

/// <summary>Normalisations a layer can apply after its convolution.</summary>
public static class NormKinds
{
    /// <summary>No normalisation.</summary>
    public const string None = "none";

    /// <summary>BatchNorm2d with affine weight and bias and running statistics.</summary>
    public const string Batch = "batch";
}

/// <summary>Activations a layer can apply last.</summary>
public static class ActivationKinds
{
    /// <summary>Identity.</summary>
    public const string None = "none";

    /// <summary>LeakyReLU with <see cref="LayerSpec.Slope"/>.</summary>
    public const string LeakyRelu = "leaky_relu";

    /// <summary>ReLU.</summary>
    public const string Relu = "relu";

    /// <summary>Tanh.</summary>
    public const string Tanh = "tanh";
}

/// <summary>
/// One block of a generator: a convolution, an optional normalisation and an activation, in that order.
/// Plain data, so the same description builds the TorchSharp module and the ONNX graph.
/// </summary>
public sealed record LayerSpec
{
    /// <summary><see cref="LayerKinds.Conv"/> or <see cref="LayerKinds.ConvTranspose"/>.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = LayerKinds.Conv;

    /// <summary>Input channels.</summary>
    [JsonPropertyName("in")] public int InChannels { get; init; }

    /// <summary>Output channels.</summary>
    [JsonPropertyName("out")] public int OutChannels { get; init; }

    /// <summary>Square kernel size.</summary>
    [JsonPropertyName("kernel")] public int Kernel { get; init; } = 1;

    /// <summary>Stride in both directions.</summary>
    [JsonPropertyName("stride")] public int Stride { get; init; } = 1;

    /// <summary>Zero padding on every side.</summary>
    [JsonPropertyName("padding")] public int Padding { get; init; }

    /// <summary>Whether the convolution has a bias (the article's layers all do).</summary>
    [JsonPropertyName("bias")] public bool Bias { get; init; } = true;

    /// <summary><see cref="NormKinds"/> value.</summary>
    [JsonPropertyName("norm")] public string Norm { get; init; } = NormKinds.None;

    /// <summary>The normalisation's epsilon (the article's <c>BatchNorm2d(C, 0.8)</c> sets 0.8).</summary>
    [JsonPropertyName("eps")] public double Eps { get; init; } = 1e-5;

    /// <summary>BatchNorm's running-statistics momentum.</summary>
    [JsonPropertyName("momentum")] public double Momentum { get; init; } = 0.1;

    /// <summary><see cref="ActivationKinds"/> value.</summary>
    [JsonPropertyName("activation")] public string Activation { get; init; } = ActivationKinds.None;

    /// <summary>Negative slope for <see cref="ActivationKinds.LeakyRelu"/>.</summary>
    [JsonPropertyName("slope")] public double Slope { get; init; } = 0.2;

    /// <summary>Dilation of a convolution (freeform family; absent means 1).</summary>
    [JsonPropertyName("dilation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Dilation { get; init; }

    /// <summary>
    /// A U-Net skip (freeform family): the output of layer <c>Concat</c> is concatenated, along channels, after this
    /// layer's input; <see cref="InChannels"/> counts both.
    /// </summary>
    [JsonPropertyName("concat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Concat { get; init; }

    /// <summary>The convolution's dilation (1 when not set).</summary>
    [JsonIgnore]
    public int DilationOrOne => Dilation ?? 1;

    /// <summary>Whether the block has weights (an upsampling block has none).</summary>
    [JsonIgnore]
    public bool HasWeights => Kind != LayerKinds.Upsample;

    /// <summary>Output size for an input of <paramref name="size"/> pixels on a side.</summary>
    public int OutputSize(int size) => Kind switch
    {
        LayerKinds.ConvTranspose => (size - 1) * Stride - 2 * Padding + Kernel,
        LayerKinds.Upsample => size * Stride,
        _ => (size + 2 * Padding - DilationOrOne * (Kernel - 1) - 1) / Stride + 1,
    };

    /// <summary>Trainable parameters of this block (convolution, bias, norm affine). Serialised, as it always was.</summary>
    public long ParameterCount => !HasWeights ? 0 :
        (long)InChannels * OutChannels * Kernel * Kernel
        + (Bias ? OutChannels : 0)
        + (Norm == NormKinds.Batch ? 2L * OutChannels : 0);

    /// <summary>Multiply-adds for an output of <paramref name="outputSize"/> pixels on a side (per image).</summary>
    public double MultiplyAdds(int inputSize, int outputSize) => Kind switch
    {
        LayerKinds.Upsample => 0,
        // A transposed convolution does its multiply-adds per input pixel.
        LayerKinds.ConvTranspose => (double)InChannels * OutChannels * Kernel * Kernel * inputSize * inputSize,
        _ => (double)InChannels * OutChannels * Kernel * Kernel * outputSize * outputSize,
    };
}
