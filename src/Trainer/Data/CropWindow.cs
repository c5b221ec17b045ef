namespace Inpaint.Trainer.Data;

/// <summary>
/// Where a training crop lies in its photo, resized to the scale it was cropped at (mirrored along with the crop).
/// </summary>
/// <param name="PhotoWidth">The resized photo's width.</param>
/// <param name="PhotoHeight">The resized photo's height.</param>
/// <param name="Left">The crop's left edge in it.</param>
/// <param name="Top">The crop's top edge in it.</param>
/// <param name="Size">The crop's side.</param>
public readonly record struct CropWindow(int PhotoWidth, int PhotoHeight, int Left, int Top, int Size);
