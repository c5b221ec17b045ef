namespace Inpaint.OnnxInpaint;

/// <summary>Progress of a repair.</summary>
/// <param name="WindowsDone">Windows inpainted so far.</param>
/// <param name="Windows">Windows in all.</param>
public readonly record struct RepairProgress(int WindowsDone, int Windows);

/// <summary>What a repair did.</summary>
public sealed record RepairReport
{
    /// <summary>Hole pixels written.</summary>
    public int HolePixels { get; init; }

    /// <summary>Regions found.</summary>
    public int Regions { get; init; }

    /// <summary>Model windows run.</summary>
    public int Windows { get; init; }

    /// <summary>Model calls made.</summary>
    public int Batches { get; init; }

    /// <summary>Time planning and pre-filling context.</summary>
    public TimeSpan Planning { get; init; }

    /// <summary>Time sampling windows and in the model.</summary>
    public TimeSpan Inference { get; init; }

    /// <summary>Time scaling back and writing hole pixels.</summary>
    public TimeSpan Pasting { get; init; }

    /// <summary>Scales repaired: 1, or more when holes larger than a tile were first repaired at a reduced scale.</summary>
    public int Scales { get; init; } = 1;

    /// <summary>Hole regions filled with texture (<see cref="RepairOptions.Fill"/>); the others keep the model's fill.</summary>
    public int TextureRegions { get; init; }

    /// <summary>Time synthesising texture.</summary>
    public TimeSpan Texture { get; init; }
}
