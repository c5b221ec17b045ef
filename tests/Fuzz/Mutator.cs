namespace Inpaint.Fuzz;

/// <summary>A mutated file and how it was made.</summary>
internal sealed record Mutant(string Name, string Kind, byte[] Bytes, Seed Seed);

/// <summary>
/// Deterministic mutations of a seed (same seed and index, same bytes): truncation at a length, flipped bytes
/// anywhere, overwritten header bytes (the first 64, where sizes, chunk lengths and markers live), a duplicated
/// or deleted slice, and a changed length or size field.
/// </summary>
internal static class Mutator
{
    public static readonly string[] Kinds = ["truncated", "flipped", "header", "slice", "int"];

    public static Mutant Make(Seed seed, int index, int salt)
    {
        // HashCode.Combine is randomised per process; this mix is not, so a mutant can be made again anywhere.
        var rng = new Random(Fnv(seed.Name) ^ (index * -1640531535) ^ (salt * 40503));
        byte[] s = seed.Bytes;
        string kind = Kinds[index % Kinds.Length];
        byte[] bytes;
        string what;
        switch (kind)
        {
            case "truncated":
            {
                int length = rng.Next(1, s.Length);
                bytes = s[..length];
                what = $"cut{length}";
                break;
            }
            case "flipped":
            {
                bytes = (byte[])s.Clone();
                int count = 1 << rng.Next(4);
                for (int k = 0; k < count; k++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                what = $"flip{count}";
                break;
            }
            case "header":
            {
                bytes = (byte[])s.Clone();
                int at = rng.Next(Math.Min(64, bytes.Length));
                bytes[at] = (byte)rng.Next(256);
                what = $"hdr{at}";
                break;
            }
            case "slice":
            {
                int at = rng.Next(s.Length), length = rng.Next(1, Math.Min(512, s.Length - at) + 1);
                bool duplicate = rng.Next(2) == 0;
                bytes = duplicate ? [.. s[..(at + length)], .. s[at..]] : [.. s[..at], .. s[(at + length)..]];
                what = $"{(duplicate ? "dup" : "del")}{at}+{length}";
                break;
            }
            default:
            {
                bytes = (byte[])s.Clone();
                int at = rng.Next(Math.Min(256, bytes.Length - 4));
                uint[] values = [0, 1, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, (uint)rng.Next()];
                BitConverter.TryWriteBytes(bytes.AsSpan(at), values[rng.Next(values.Length)]);
                what = $"int{at}";
                break;
            }
        }
        return new Mutant($"{Path.GetFileNameWithoutExtension(seed.Name)}-{index:D5}-{what}{Path.GetExtension(seed.Name)}", kind, bytes, seed);
    }

    /// <summary>A stable string hash (string.GetHashCode differs between processes).</summary>
    private static int Fnv(string text)
    {
        uint h = 2166136261;
        foreach (char c in text) h = (h ^ c) * 16777619;
        return (int)h;
    }
}
