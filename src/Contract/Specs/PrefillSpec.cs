using System.Text.Json.Serialization;

namespace Inpaint.Contract;

/// <summary>
/// The classical pre-fill of the freeform family, a multigrid harmonic fill: push-pull averages of the known
/// pixels down <see cref="Levels"/> halvings, then coarse to fine: upsample, keep cells that are fully known,
/// and relax the others with Jacobi sweeps (each becomes the mean of its 4 neighbours).
/// </summary>
public sealed record PrefillSpec
{
    /// <summary>The only kind so far.</summary>
    public const string MultigridHarmonic = "multigrid_harmonic";

    /// <summary>Which fill.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = MultigridHarmonic;

    /// <summary>Halvings below full resolution (the coarsest level is 2^-Levels of the input, at least 1 px).</summary>
    [JsonPropertyName("levels")] public int Levels { get; init; } = 8;

    /// <summary>Relaxation sweeps per level, finest first; the last value repeats for coarser levels.</summary>
    [JsonPropertyName("sweeps")] public IReadOnlyList<int> Sweeps { get; init; } = [8, 16, 32];

    /// <summary>
    /// 0 (absent): Jacobi sweeps. Otherwise red-black successive over-relaxation with this factor (1 &lt; omega &lt; 2):
    /// a sweep updates the red cells, then the black ones, each to <c>(1 - omega) u + omega * mean of 4 neighbours</c>,
    /// which converges in far fewer sweeps than Jacobi (so the ONNX graph has far fewer nodes).
    /// </summary>
    [JsonPropertyName("omega")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double Omega { get; init; }

    /// <summary>Sweeps at level <paramref name="level"/> (0 = full resolution).</summary>
    public int SweepsAt(int level) => Sweeps.Count == 0 ? 0 : Sweeps[Math.Min(level, Sweeps.Count - 1)];

    /// <summary>Text for <c>inpaint.prefill</c>, e.g. <c>multigrid_harmonic:levels=8:sweeps=8,16,32</c>.</summary>
    public string Describe() => $"{Kind}:levels={Levels}:sweeps={string.Join(",", Sweeps)}" +
                                (Omega > 0 ? $":sor={Omega.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "");

    /// <summary>Checks the numbers.</summary>
    /// <exception cref="InvalidDataException">Unknown kind or out-of-range numbers.</exception>
    public void Validate()
    {
        if (Kind != MultigridHarmonic) throw new InvalidDataException($"unknown pre-fill '{Kind}' (known: {MultigridHarmonic})");
        if (Levels is < 0 or > 16) throw new InvalidDataException($"pre-fill levels {Levels} must be in 0..16");
        if (Sweeps.Any(s => s is < 0 or > 1000)) throw new InvalidDataException("pre-fill sweeps must be in 0..1000");
        if (Omega != 0 && Omega is <= 0 or >= 2) throw new InvalidDataException($"over-relaxation factor {Omega} must be in (0, 2)");
    }
}
