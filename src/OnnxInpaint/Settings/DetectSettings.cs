namespace Inpaint.OnnxInpaint;

/// <summary>The definitions of the damage detection's options (<see cref="Setting{T}"/>), bound by every front end.</summary>
public static class DetectSettings
{
    /// <summary>The damage probability from which a pixel is repaired; 0 takes the detector's own (<see cref="Contract.DetectorContract.Threshold"/>).</summary>
    public static Setting<double> Threshold { get; } = new("threshold", 0.0, 0.0, 0.99,
        "Damage probability from which a pixel counts as damage (lower finds more, and flags more that is not damage)", "0: the detector's own");

    /// <summary>How many scales of the photo the detector looks at (<see cref="DamageDetector.Levels"/>).</summary>
    public static Setting<int> Levels { get; } = new("levels", 1, 0, 6,
        "How many scales of the photo to look at (the photo, 1/2 its size, 1/4, ...): smaller ones find large captions, stains and torn corners, flag more that is not damage, and cost up to a third more time",
        "0: down to the size the detector learnt whole photos at");

    /// <summary>The threshold to detect with: <paramref name="value"/>, or the detector's own for 0.</summary>
    public static double Resolve(double value, DamageDetector detector) => value > 0 ? value : detector.Contract.Threshold;
}
