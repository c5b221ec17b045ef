using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Models;

/// <summary>
/// Tensor addition with an alpha that lives as long as the process. TorchSharp's <c>Tensor.add(Tensor)</c> (and the
/// <c>+</c> operator) passes a temporary <see cref="Scalar"/> alpha of 1, which the GC may finalise while the native
/// add still reads it; a long run died of that at step 14,250 ("For integral input tensors, argument alpha must
/// not be a floating point number": the freed alpha's memory held another value). Subtraction takes no alpha.
/// </summary>
public static class TensorMath
{
    // Integral, so it is a valid alpha for integral tensors too; never disposed.
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="a"/> + <paramref name="b"/>, element-wise with broadcasting.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);
}
