using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Imaging;

/// <summary>
/// 16-bit photos around an 8-bit repair. The repair works on the photo rounded to 8 bits; writing it back, every sample
/// the repair left at that rounded value takes the photo's own 16-bit value again, and every other sample (the holes'
/// new values) is widened (v x 257). So known pixels come back exact, and no sample is further than half an 8-bit step
/// from the repair's value.
/// </summary>
internal static class DeepPixels
{
    /// <summary>A 16-bit sample rounded to the nearest 8-bit one.</summary>
    public static byte To8(ushort value) => (byte)((value * 255 + 32767) / 65535);

    /// <summary><paramref name="deep"/> rounded to 8 bits a sample, in a new image (metadata not copied).</summary>
    public static Image<Rgba32> To8(Image<Rgba64> deep, Configuration configuration)
    {
        var image = new Image<Rgba32>(configuration, deep.Width, deep.Height);
        for (int y = 0; y < deep.Height; y++)
        {
            Span<Rgba64> from = deep.DangerousGetPixelRowMemory(y).Span;
            Span<Rgba32> to = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < from.Length; x++)
                to[x] = new Rgba32(To8(from[x].R), To8(from[x].G), To8(from[x].B), To8(from[x].A));
        }
        return image;
    }

    /// <summary>The repair at 16 bits: <paramref name="deep"/>'s samples where the repair kept their 8-bit rounding, the repair's widened elsewhere.</summary>
    public static Image<Rgba64> Restore(Image<Rgba32> repaired, Image<Rgba64> deep)
    {
        if (repaired.Width != deep.Width || repaired.Height != deep.Height)
            throw new ArgumentException($"the repair is {repaired.Width}x{repaired.Height}, the photo {deep.Width}x{deep.Height}", nameof(repaired));
        var image = new Image<Rgba64>(repaired.GetConfiguration(), repaired.Width, repaired.Height);
        for (int y = 0; y < repaired.Height; y++)
        {
            Span<Rgba32> made = repaired.DangerousGetPixelRowMemory(y).Span;
            Span<Rgba64> was = deep.DangerousGetPixelRowMemory(y).Span;
            Span<Rgba64> to = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < made.Length; x++)
                to[x] = new Rgba64(Sample(made[x].R, was[x].R), Sample(made[x].G, was[x].G), Sample(made[x].B, was[x].B), Sample(made[x].A, was[x].A));
        }
        return image;
    }

    private static ushort Sample(byte made, ushort was) => made == To8(was) ? was : (ushort)(made * 257);
}
