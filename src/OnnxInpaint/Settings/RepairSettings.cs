namespace Inpaint.OnnxInpaint;

/// <summary>
/// The definitions of the repair's options (<see cref="Setting{T}"/>): <see cref="RepairOptions"/>,
/// <see cref="InpaintModelOptions"/> and the mask and file options take their defaults from here, and every front end
/// binds these ranges and help texts.
/// </summary>
public static class RepairSettings
{
    /// <summary>Square dilation of the holes before repair.</summary>
    public static Setting<int> Grow { get; } = new("grow", 0, 0, 256,
        "Grow the holes by this many pixels first: use it when the mask misses the soft rim of text or scratches");

    /// <summary>Blend width between neighbouring windows or tiles.</summary>
    public static Setting<int> Feather { get; } = new("feather", 4, 0, 256, "Blend width between neighbouring windows or tiles, pixels");

    /// <summary>Center models: holes closer than this share windows.</summary>
    public static Setting<int> GroupDistance { get; } = new("group-distance", -1, -1, 1000,
        "Center models only: group holes closer than this many pixels so they share windows (-1: an eighth of the model's blank square; only hole pixels change)",
        "-1: automatic");

    /// <summary>Center models: how much a small hole's window may be magnified.</summary>
    public static Setting<double> MaxMagnification { get; } = new("max-magnification", 2.0, 0.1, 16.0,
        "Center models only: most a small hole's window is magnified (model px per image px)");

    /// <summary>Center models: smallest cell when a long hole is cut into windows.</summary>
    public static Setting<int> MinCell { get; } = new("min-cell", 0, 0, 4096,
        "Center models only: smallest cell when long holes are cut into windows", "0: half the model's blank square");

    /// <summary>Freeform models: the side of the tiles a photo is cut into.</summary>
    public static Setting<int> Tile { get; } = new("tile", 0, 0, 4096,
        "Freeform models only: side of the tiles a photo is cut into", "0: twice the model's training tile");

    /// <summary>Freeform models: known pixels a tile carries around its core.</summary>
    public static Setting<int> Context { get; } = new("context", 0, 0, 1024,
        "Freeform models only: known pixels each tile carries around its core", "0: the model's own");

    /// <summary>
    /// <see cref="FillMode.Auto"/>: a hole region gets texture when one of its pixels is at least this many pixels
    /// (chessboard distance) from every known pixel, i.e. when it is wider than about twice this.
    /// </summary>
    public static Setting<int> TextureDepth { get; } = new("texture-depth", 12, 1, 4096,
        "With --fill auto: a hole region gets texture when a pixel of it is at least this far from every known pixel (wider than about twice this)");

    /// <summary>The seed of the texture route: another seed gives another plausible fill.</summary>
    public static Setting<int> Seed { get; } = new("seed", 1, 0, int.MaxValue, "Seed of the texture fill: another seed, another plausible fill");

    /// <summary>How many different fills one repair returns.</summary>
    public static Setting<int> Variants { get; } = new("variants", 1, 1, 16,
        "Write this many different fills (seeds seed, seed+1, ...; they differ where the fill is texture)");

    /// <summary>Windows or tiles per model call.</summary>
    public static Setting<int> Batch { get; } = new("batch", 8, 1, 1024, "Windows or tiles per model call");

    /// <summary>CPU threads of one model call.</summary>
    public static Setting<int> Threads { get; } = new("threads", 0, 0, 1024, "CPU threads per model call", "0: ONNX Runtime's default");

    /// <summary>CUDA device ordinal.</summary>
    public static Setting<int> DeviceId { get; } = new("device-id", 0, 0, 255, "CUDA device ordinal");

    /// <summary>The largest photo or mask, checked from its header before any pixel is decoded.</summary>
    public static Setting<long> MaxPixels { get; } = new("max-pixels", Imaging.PhotoFile.DefaultMaxPixels, 1, int.MaxValue,
        "Refuse images with more pixels than this (checked from the header, before decoding)");

    /// <summary>Quality of JPEG outputs.</summary>
    public static Setting<int> JpegQuality { get; } = new("jpeg-quality", Imaging.PhotoFile.DefaultJpegQuality, 1, 100, "Quality of JPEG outputs");
}
