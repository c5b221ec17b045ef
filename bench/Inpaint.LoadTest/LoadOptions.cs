using System.Globalization;

namespace Inpaint.LoadTest;

/// <summary>What to run: the server build, the photo and mask, callers, time per step, batching on and off.</summary>
internal sealed record LoadOptions
{
    public const string Usage =
        "inpaint-loadtest [--server inpaint-server.dll] [--model models/X.onnx] [--photo samples/scratches.png] [--mask samples/scratches-mask.png]\n" +
        "                 [--callers 1,8,32] [--seconds 30] [--warmup 3] [--batching on,off] [--concurrent-repairs N (0: the server's default)] [--idle 60] [--sample 60] [--port 5099]\n" +
        "                 [--set Inpaint:Batching:MaxDelay=00:00:00.005 ...] (server settings, repeatable)";

    public string Server { get; init; } = "src/OnnxInpaint.Server/bin/Release/net10.0/inpaint-server.dll";
    public string? Model { get; init; }
    public string Photo { get; init; } = "samples/scratches.png";
    public string Mask { get; init; } = "samples/scratches-mask.png";
    public int[] Callers { get; init; } = [1, 8, 32];
    public double Seconds { get; init; } = 30;
    public double Warmup { get; init; } = 3;
    public bool[] Batching { get; init; } = [true, false];
    public int ConcurrentRepairs { get; init; }
    public double Idle { get; init; }
    public double Sample { get; init; }
    public int Port { get; init; } = 5099;
    public string[] Settings { get; init; } = [];

    public static LoadOptions? Parse(string[] args)
    {
        var o = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "";
            o = args[i] switch
            {
                "--server" => o with { Server = value },
                "--model" => o with { Model = value },
                "--photo" => o with { Photo = value },
                "--mask" => o with { Mask = value },
                "--callers" => o with { Callers = value.Split(',').Select(int.Parse).ToArray() },
                "--seconds" => o with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup" => o with { Warmup = double.Parse(value, CultureInfo.InvariantCulture) },
                "--batching" => o with { Batching = value.Split(',').Select(v => v == "on").ToArray() },
                "--concurrent-repairs" => o with { ConcurrentRepairs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--idle" => o with { Idle = double.Parse(value, CultureInfo.InvariantCulture) },
                "--sample" => o with { Sample = double.Parse(value, CultureInfo.InvariantCulture) },
                "--set" => o with { Settings = [.. o.Settings, value] },
                "--port" => o with { Port = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => null!,
            };
            if (o is null) return null;
            i++;
        }
        return o;
    }
}
