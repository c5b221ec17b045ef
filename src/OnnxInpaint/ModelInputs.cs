using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// One model call's inputs as OrtValues over pooled copies: the contract's image and mask, and the optional pre-filled
/// image when given. Owns the buffers and the values until disposed.
/// </summary>
internal sealed class ModelInputs : IDisposable
{
    private readonly List<float[]> buffers = [];
    private readonly List<OrtValue> values = [];
    private readonly List<string> names = [];

    public ModelInputs(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, int batch, int height, int width)
    {
        int plane = height * width;
        Add(ContractNames.ImageInput, image[..(batch * 3 * plane)], [batch, 3, height, width]);
        Add(ContractNames.MaskInput, mask[..(batch * plane)], [batch, 1, height, width]);
        if (!prefilled.IsEmpty) Add(ContractNames.PrefilledInput, prefilled[..(batch * 3 * plane)], [batch, 3, height, width]);
    }

    /// <summary>The inputs' names, in the order of <see cref="Values"/>.</summary>
    public IReadOnlyCollection<string> Names => names;

    /// <summary>The inputs.</summary>
    public IReadOnlyCollection<OrtValue> Values => values;

    private void Add(string name, ReadOnlySpan<float> data, long[] shape)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(data.Length);
        buffers.Add(buffer);
        data.CopyTo(buffer);
        values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, data.Length), shape));
        names.Add(name);
    }

    public void Dispose()
    {
        foreach (OrtValue value in values) value.Dispose();
        foreach (float[] buffer in buffers) ArrayPool<float>.Shared.Return(buffer);
    }
}
