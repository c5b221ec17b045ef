using Inpaint.Fuzz;

// inpaint-fuzz compare [--per-seed N] [--repeats R]
// inpaint-fuzz run [--count N]
// inpaint-fuzz corpus --out DIR [--count N]
// inpaint-fuzz speed [--width W] [--height H]
string root = FindRoot();
string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
string command = args.Length > 0 ? args[0] : "help";
string seedsFolder = Path.Combine(root, "tests", "Fuzz", "seeds");
switch (command)
{
    case "compare":
        return Compare.Run(Seeds.Make(root, seedsFolder, 160), int.Parse(Arg("--per-seed", "60")), int.Parse(Arg("--repeats", "3")), Console.Out);
    case "run":
        return FuzzRun.Run(Seeds.Make(root, seedsFolder, 160), int.Parse(Arg("--count", "10000")), int.Parse(Arg("--salt", "2")), Console.Out);
    case "corpus":
        return CorpusWriter.Write(Seeds.Make(root, seedsFolder, 48), Arg("--out", Path.Combine(root, "tests", "OnnxInpaint.Tests", "Fixtures", "fuzz")), int.Parse(Arg("--count", "300")), Console.Out);
    case "speed":
        return Speed.Run(root, int.Parse(Arg("--width", "4000")), int.Parse(Arg("--height", "3000")), Console.Out);
    default:
        Console.Error.WriteLine("usage: inpaint-fuzz compare [--per-seed 60] [--repeats 3] | run [--count 10000] [--salt 2] | corpus [--out DIR] [--count 300] | speed [--width 4000] [--height 3000]");
        return 2;
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Inpaint.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("run inside the repository");
}
