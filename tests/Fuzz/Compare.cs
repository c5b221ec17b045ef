using System.Globalization;

namespace Inpaint.Fuzz;

/// <summary>
/// <c>compare</c>: every decoder on the same mutants. For each mutant and decoder: refused, crashed, accepted with
/// the pixels it gives for the intact seed ("same": the damage did not touch the image) or with other pixels
/// ("different": silent garbage when the file was truncated); and whether three decodes agree.
/// </summary>
internal static class Compare
{
    public static int Run(List<Seed> seeds, int perSeed, int repeats, TextWriter output)
    {
        var table = new Dictionary<(string Decoder, string Kind, string Format), int[]>();
        var crashes = new Dictionary<string, List<string>>();
        var disagreements = new List<string>();
        int nondeterministic = 0, mutants = 0;
        var spoiler = seeds.ToDictionary(s => s, s => seeds.Where(o => o.Format == s.Format && o != s).DefaultIfEmpty(s).Last());
        foreach (Seed seed in seeds)
        {
            var clean = Decoders.Names.ToDictionary(d => d, d => Decoders.Run(d, seed.Bytes));
            for (int i = 0; i < perSeed; i++)
            {
                Mutant m = Mutator.Make(seed, i, salt: 1);
                mutants++;
                var verdicts = new Dictionary<string, Outcome>();
                foreach (string decoder in Decoders.Names)
                {
                    Decoders.Run(decoder, spoiler[seed].Bytes);
                    Outcome first = Decoders.Run(decoder, m.Bytes);
                    for (int r = 1; r < repeats; r++)
                    {
                        // Decode another intact file of the same format in between: a decoder that leaves pooled
                        // memory unwritten (ImageSharp's WebP on a truncated file) then shows that image instead.
                        Decoders.Run(decoder, spoiler[seed].Bytes);
                        if (Decoders.Run(decoder, m.Bytes) is var again && (again.Verdict != first.Verdict || again.Pixels != first.Pixels))
                        {
                            Count(table, decoder, m.Kind, seed.Format, 5);
                            nondeterministic++;
                            break;
                        }
                    }
                    verdicts[decoder] = first;
                    int column = first.Verdict switch
                    {
                        Verdict.Refused => 0,
                        Verdict.Crashed => 1,
                        _ => first.Pixels == clean[decoder].Pixels ? 2 : 3,
                    };
                    Count(table, decoder, m.Kind, seed.Format, column);
                    Count(table, decoder, m.Kind, seed.Format, 4);
                    if (first.Verdict == Verdict.Crashed)
                        (crashes.TryGetValue(decoder, out var list) ? list : crashes[decoder] = []).Add($"{m.Name}: {first.Detail}");
                }
                if (verdicts["skia-2.88"].Verdict != verdicts["photofile"].Verdict)
                    disagreements.Add($"{m.Name}: skia {verdicts["skia-2.88"].Verdict}, photofile {verdicts["photofile"].Verdict} {verdicts["photofile"].Detail}");
            }
        }
        output.WriteLine($"{seeds.Count} seeds x {perSeed} mutants = {mutants} files, each decoded {repeats} times by each decoder, another intact file of the same format decoded before each");
        output.WriteLine("| decoder | mutation | format | files | refused | crashed | accepted, same pixels | accepted, other pixels | not deterministic |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var ((decoder, kind, format), n) in table.OrderBy(kv => kv.Key.Kind).ThenBy(kv => kv.Key.Format).ThenBy(kv => Array.IndexOf(Decoders.Names, kv.Key.Decoder)))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {decoder} | {kind} | {format} | {n[4]} | {n[0]} | {n[1]} | {n[2]} | {n[3]} | {n[5]} |"));
        output.WriteLine("Totals:");
        foreach (string decoder in Decoders.Names)
        {
            int[] sum = new int[6];
            foreach (var (key, n) in table) if (key.Decoder == decoder) for (int c = 0; c < 6; c++) sum[c] += n[c];
            int[] cut = new int[6];
            foreach (var (key, n) in table) if (key.Decoder == decoder && key.Kind == "truncated") for (int c = 0; c < 6; c++) cut[c] += n[c];
            output.WriteLine($"  {decoder}: {sum[4]} files, {sum[0]} refused, {sum[1]} crashed, {sum[2]} same, {sum[3]} other pixels, {sum[5]} not deterministic; " +
                             $"truncated: {cut[4]} files, {cut[0]} refused, {cut[2]} accepted intact, {cut[3]} accepted with other pixels (silent garbage), {cut[1]} crashed");
        }
        output.WriteLine($"skia alone and photofile disagree on {disagreements.Count} files:");
        foreach (var line in disagreements.Take(20)) output.WriteLine($"  {line}");
        foreach (var (decoder, list) in crashes)
        {
            output.WriteLine($"crashes of {decoder} ({list.Count}): " + string.Join(", ", list.GroupBy(l => l.Split(": ")[1]).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}")));
            foreach (var line in list.Take(10)) output.WriteLine($"  {line}");
        }
        return 0;
    }

    private static void Count(Dictionary<(string, string, string), int[]> table, string decoder, string kind, string format, int column)
    {
        if (!table.TryGetValue((decoder, kind, format), out int[]? n)) table[(decoder, kind, format)] = n = new int[6];
        n[column]++;
    }
}
