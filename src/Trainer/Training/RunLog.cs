using System.Text.Json.Nodes;
using Inpaint.Models.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;

namespace Inpaint.Trainer.Training;

/// <summary>
/// What a run records as it goes: a row of metrics.jsonl per report and per validation (appended, flushed each line),
/// and the same numbers as TensorBoard scalars.
/// </summary>
internal sealed class RunLog : IDisposable
{
    private readonly StreamWriter metrics;
    private readonly SummaryWriter tensorboard;

    public RunLog(RunFolder folder)
    {
        metrics = new StreamWriter(folder.MetricsPath, append: true) { AutoFlush = true };
        tensorboard = torch.utils.tensorboard.SummaryWriter(folder.TensorBoardDir);
    }

    /// <summary>A step report's row and scalars.</summary>
    public void Step(StepReport r)
    {
        var row = new JsonObject
        {
            ["step"] = r.Step, ["epoch"] = Math.Round(r.Epoch, 4),
            ["g_loss"] = r.Losses.Generator, ["g_adv"] = r.Losses.Adversarial, ["g_pixel"] = r.Losses.Pixel, ["d_loss"] = r.Losses.Discriminator,
            ["imgs_per_s"] = Math.Round(r.ImagesPerSecond, 3), ["data_wait"] = Math.Round(r.DataWaitShare, 4),
            ["working_set_mib"] = Math.Round(r.WorkingSetMiB, 1),
        };
        metrics.WriteLine(row.ToJsonString());
        int s = (int)Math.Min(r.Step, int.MaxValue);
        tensorboard.add_scalar("loss/generator", (float)r.Losses.Generator, s);
        tensorboard.add_scalar("loss/adversarial", (float)r.Losses.Adversarial, s);
        tensorboard.add_scalar("loss/pixel", (float)r.Losses.Pixel, s);
        tensorboard.add_scalar("loss/discriminator", (float)r.Losses.Discriminator, s);
        tensorboard.add_scalar("speed/imgs_per_s", (float)r.ImagesPerSecond, s);
        tensorboard.add_scalar("speed/data_wait_share", (float)r.DataWaitShare, s);
    }

    /// <summary>A validation's row and scalars.</summary>
    public void Validation(long step, ValidationSummary q, double seconds)
    {
        var row = new JsonObject { ["kind"] = "validation", ["step"] = step };
        foreach (var (name, value) in q.Metrics) row[name] = value;
        row["images"] = q.Images;
        row["seconds"] = Math.Round(seconds, 3);
        metrics.WriteLine(row.ToJsonString());
        int s = (int)Math.Min(step, int.MaxValue);
        foreach (var (name, value) in q.Metrics) tensorboard.add_scalar($"validation/{name}", (float)value, s);
    }

    /// <summary>Drops the metrics.jsonl lines of steps after <paramref name="step"/> (a resumed run recomputes them).</summary>
    public static void TrimAfter(RunFolder folder, long step)
    {
        if (!File.Exists(folder.MetricsPath)) return;
        var kept = File.ReadAllLines(folder.MetricsPath).Where(line =>
        {
            try
            {
                return JsonNode.Parse(line)?["step"]?.GetValue<long>() is long s && s <= step;
            }
            catch (System.Text.Json.JsonException)
            {
                return false; // a line cut short by a crash
            }
        }).ToList();
        AtomicFile.WriteAllText(folder.MetricsPath, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    // The SummaryWriter flushes per event and holds no native handle.
    public void Dispose() => metrics.Dispose();
}
