namespace Inpaint.OnnxInpaint;

/// <summary>What a repair puts into a hole region.</summary>
public enum FillMode
{
    /// <summary>
    /// Per region: the model's faithful fill for thin damage (scratches, text, dust: every hole pixel close to known
    /// pixels), texture for large regions (<see cref="RepairSettings.TextureDepth"/>).
    /// </summary>
    Auto,

    /// <summary>The model's fill everywhere: the most accurate on average, smooth in large holes.</summary>
    Smooth,

    /// <summary>Texture everywhere: the model's fill gives the structure, patches of the photo the detail.</summary>
    Texture,
}

/// <summary>The fill modes' words, as every front end accepts and shows them (<c>auto</c>, <c>smooth</c>, <c>texture</c>).</summary>
public static class FillModes
{
    /// <summary>The words, comma-separated, for help texts.</summary>
    public static string Words => string.Join(", ", Enum.GetValues<FillMode>().Select(Word));

    /// <summary>The mode's word.</summary>
    public static string Word(this FillMode mode) => mode switch
    {
        FillMode.Auto => "auto",
        FillMode.Smooth => "smooth",
        FillMode.Texture => "texture",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a word (case-insensitive).</summary>
    public static bool TryParse(string? text, out FillMode mode)
    {
        foreach (FillMode m in Enum.GetValues<FillMode>())
            if (string.Equals(text?.Trim(), m.Word(), StringComparison.OrdinalIgnoreCase))
            {
                mode = m;
                return true;
            }
        mode = FillMode.Auto;
        return false;
    }
}
