namespace Inpaint.Masks;

/// <summary>
/// The picture that damage is drawn on, when the pixels at hand are only a window of it. A training crop is a window
/// of a photo resized to some scale; damage that is sized and placed by the picture (a caption, a stain, a torn
/// corner, a scratch from edge to edge) must be sized and placed by that photo, not by the crop, or the detector learns
/// captions that fit in every crop and never sees the part of a large one that a crop of a whole photo shows.
/// </summary>
/// <param name="Width">The picture's width.</param>
/// <param name="Height">The picture's height.</param>
/// <param name="Left">The window's left edge in the picture.</param>
/// <param name="Top">The window's top edge in the picture.</param>
/// <param name="WindowWidth">The window's width: the pixels drawn into.</param>
/// <param name="WindowHeight">The window's height.</param>
public readonly record struct DamageFrame(int Width, int Height, int Left, int Top, int WindowWidth, int WindowHeight)
{
    /// <summary>A whole picture: the window is all of it.</summary>
    public static DamageFrame Whole(int width, int height) => new(width, height, 0, 0, width, height);
}
