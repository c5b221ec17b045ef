namespace Inpaint.Cli;

/// <summary>
/// The synthetic damage of <c>bench --repair WIDTHxHEIGHT:KIND:N</c>, seeded: N scratches (2-6 px wide, 200 px and
/// longer), a centred square hole of side N, or N percent of single-pixel holes (salt).
/// </summary>
internal static class BenchDamage
{
    /// <summary>The photo's size and its holes.</summary>
    /// <exception cref="UserError">A specification that does not parse, or an unknown kind.</exception>
    public static (int Width, int Height, bool[] Holes) Parse(string spec)
    {
        string[] parts = spec.Split(':');
        string[] size = parts[0].Split('x');
        if (parts.Length != 3 || size.Length != 2 || !int.TryParse(size[0], out int w) || !int.TryParse(size[1], out int h) || !int.TryParse(parts[2], out int count))
            throw new UserError($"--repair '{spec}' should look like 4000x3000:scratches:50, 4000x3000:hole:600 or 640x400:salt:1");
        if (w < 1 || h < 1 || (long)w * h > int.MaxValue) throw new UserError($"--repair '{spec}': the size must be at least 1x1 and at most {int.MaxValue:N0} pixels");
        var rng = new Random(7);
        var holes = new bool[w * h];
        switch (parts[1])
        {
            case "scratches": Scratches(holes, w, h, count, rng); break;
            case "hole": Square(holes, w, h, count); break;
            case "salt":
                // Single hole pixels scattered at random: COUNT percent of the photo (the worst case for one window per hole).
                if (count is < 0 or > 100) throw new UserError($"--repair '{spec}': the salt percentage must be between 0 and 100");
                for (int i = 0; i < holes.Length; i++) holes[i] = rng.NextDouble() * 100 < count;
                break;
            default: throw new UserError($"--repair kind '{parts[1]}' is not scratches, hole or salt");
        }
        if (!holes.Contains(false)) throw new UserError($"--repair '{spec}' leaves no known pixel to repair from");
        return (w, h, holes);
    }

    private static void Scratches(bool[] holes, int w, int h, int count, Random rng)
    {
        for (int k = 0; k < count; k++)
        {
            double x0 = rng.Next(w), y0 = rng.Next(h), angle = rng.NextDouble() * Math.PI, length = 200 + rng.Next(Math.Max(1, Math.Min(w, h) / 2));
            int width = 2 + rng.Next(5);
            for (double t = 0; t < length; t += 0.5)
            {
                int cx = (int)(x0 + Math.Cos(angle) * t), cy = (int)(y0 + Math.Sin(angle) * t);
                for (int dy = 0; dy < width; dy++)
                    for (int dx = 0; dx < width; dx++)
                    {
                        int x = cx + dx, y = cy + dy;
                        if (x >= 0 && y >= 0 && x < w && y < h) holes[y * w + x] = true;
                    }
            }
        }
    }

    private static void Square(bool[] holes, int w, int h, int side)
    {
        CenterSquare square = CenterSquare.In(w, h, side);
        for (int y = Math.Max(0, square.Top); y < Math.Min(h, square.Bottom); y++)
            for (int x = Math.Max(0, square.Left); x < Math.Min(w, square.Right); x++) holes[y * w + x] = true;
    }
}
