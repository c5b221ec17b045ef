using Inpaint.Trainer.Training;

namespace Inpaint.Trainer.Cli;

/// <summary>
/// The live progress display: on a terminal, one line rewritten in place; when the output goes to a file
/// (nohup, CI), a plain line per report so logs stay readable.
/// </summary>
internal sealed class ConsoleProgress
{
    private readonly TextWriter output;
    private readonly bool interactive;
    private int lastWidth;

    public ConsoleProgress(TextWriter output, bool interactive)
    {
        this.output = output;
        this.interactive = interactive;
    }

    public void Report(StepReport r)
    {
        string losses = r.Losses.Terms is { } terms
            ? $"loss {r.Losses.Generator:F4} ({string.Join(", ", terms.Select(t => $"{t.Name} {t.Value:F4}"))})"
            : $"G {r.Losses.Generator:F4} (L1 {r.Losses.Pixel:F4}, adv {r.Losses.Adversarial:F4})  D {r.Losses.Discriminator:F4}";
        string line = $"step {r.Step}/{r.TotalSteps}  epoch {r.Epoch:F2}  {losses}  " +
                      $"{r.ImagesPerSecond:F2} img/s  data wait {r.DataWaitShare:P0}  {r.WorkingSetMiB:F0} MiB  ETA {FormatDuration(r.EtaSeconds)}";
        if (interactive)
        {
            output.Write('\r' + line.PadRight(lastWidth));
            lastWidth = line.Length;
        }
        else
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Writes a message on its own line (ending the in-place line first).</summary>
    public void Message(string text)
    {
        if (interactive && lastWidth > 0)
        {
            output.WriteLine();
            lastWidth = 0;
        }
        output.WriteLine(text);
    }

    public static string FormatDuration(double seconds)
    {
        if (!double.IsFinite(seconds)) return "?";
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }
}
