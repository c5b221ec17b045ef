namespace Inpaint.OnnxInpaint;

/// <summary>
/// How <see cref="PhotoRepairer"/> turns holes into model calls. Every option's default and range come from
/// <see cref="RepairSettings"/>; <see cref="Validate"/> checks them (the repairer does, and so does the service at
/// start-up).
/// </summary>
public sealed record RepairOptions
{
    /// <summary>
    /// Center models: group holes closer than this many pixels into one region, so they share windows (only real hole
    /// pixels are written). -1 (the default): an eighth of the model's blank square, so that a dust of tiny holes does
    /// not become one window per speck.
    /// </summary>
    public int GroupDistance { get; init; } = RepairSettings.GroupDistance.Default;

    /// <summary>Pixels over which neighbouring windows or tiles blend (0: hard seams).</summary>
    public int Feather { get; init; } = RepairSettings.Feather.Default;

    /// <summary>Center models: how much a small hole's window may be magnified before the model sees it (model px per image px).</summary>
    public double MaxMagnification { get; init; } = RepairSettings.MaxMagnification.Default;

    /// <summary>Center models: smallest cell side in image pixels when a long region is cut into cells (0: half the blank square).</summary>
    public int MinCell { get; init; } = RepairSettings.MinCell.Default;

    /// <summary>Windows or tiles per model call (0: the runner's <see cref="IInpaintRunner.PreferredBatchSize"/>).</summary>
    public int BatchSize { get; init; }

    /// <summary>Freeform models: side of the tiles a photo is cut into (0: twice the model's training tile).</summary>
    public int Tile { get; init; } = RepairSettings.Tile.Default;

    /// <summary>Freeform models: known pixels each tile carries around its core (0: the model's <c>inpaint.context</c>).</summary>
    public int Context { get; init; } = RepairSettings.Context.Default;

    /// <summary>What goes into each hole region: <see cref="FillMode.Auto"/> (the default) decides per region.</summary>
    public FillMode Fill { get; init; } = FillMode.Auto;

    /// <summary>With <see cref="FillMode.Auto"/>: the depth from which a region gets texture (<see cref="RepairSettings.TextureDepth"/>).</summary>
    public int TextureDepth { get; init; } = RepairSettings.TextureDepth.Default;

    /// <summary>The seed of the texture fill (<see cref="RepairSettings.Seed"/>); the same seed gives the same bytes.</summary>
    public int Seed { get; init; } = RepairSettings.Seed.Default;

    /// <summary>
    /// Repair even when the holes cover more than <see cref="HoleCheck.LargeShare"/> of the photo (false: such a mask is
    /// refused with a <see cref="LargeHolesException"/>, since it is usually inverted). A map without any known pixel is
    /// refused either way.
    /// </summary>
    public bool AllowLargeHoles { get; init; }

    /// <summary>
    /// Every option out of its range, one line each in the settings' words, naming each option with
    /// <paramref name="shownName"/> (given the setting and this record's property name), e.g. <c>--feather</c> on the command
    /// line or <c>Inpaint:Repair:Feather</c> in configuration.
    /// </summary>
    public IEnumerable<string> Problems(Func<string, string, string> shownName)
    {
        string? Check<T>(Setting<T> setting, T value, string property) where T : struct, IComparable<T>, IFormattable =>
            setting.Check(value, shownName(setting.Name, property));
        string?[] problems =
        [
            Check(RepairSettings.GroupDistance, GroupDistance, nameof(GroupDistance)),
            Check(RepairSettings.Feather, Feather, nameof(Feather)),
            Check(RepairSettings.MaxMagnification, MaxMagnification, nameof(MaxMagnification)),
            Check(RepairSettings.MinCell, MinCell, nameof(MinCell)),
            BatchSize == 0 ? null : Check(RepairSettings.Batch, BatchSize, nameof(BatchSize)),
            Check(RepairSettings.Tile, Tile, nameof(Tile)),
            Check(RepairSettings.Context, Context, nameof(Context)),
            Check(RepairSettings.TextureDepth, TextureDepth, nameof(TextureDepth)),
            Check(RepairSettings.Seed, Seed, nameof(Seed)),
            Enum.IsDefined(Fill) ? null : $"{shownName("fill", nameof(Fill))} must be one of {FillModes.Words}; got {(int)Fill}",
        ];
        return problems.OfType<string>();
    }

    /// <summary>Throws on the first option out of its range, named by its property.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option out of its range.</exception>
    public void Validate()
    {
        if (Problems((_, property) => property).FirstOrDefault() is { } problem) throw new ArgumentOutOfRangeException(nameof(RepairOptions), problem);
    }
}
