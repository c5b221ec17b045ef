using System.Text.Json.Nodes;

namespace Inpaint.Trainer.Training;

/// <summary>One validation pass, as a family reports it to the training loop.</summary>
/// <param name="Score">What picks the best checkpoint (higher is better): the hole-PSNR, or its mean over mask kinds.</param>
/// <param name="Images">Crops measured (0: nothing to validate on).</param>
/// <param name="Metrics">Numbers for metrics.jsonl and TensorBoard (<c>psnr</c>, <c>ssim</c>, <c>center/psnr</c>...).</param>
/// <param name="Text">A one-line summary for the log.</param>
/// <param name="Facts">What the checkpoint's training facts record about it.</param>
public sealed record ValidationSummary(double Score, int Images, IReadOnlyDictionary<string, double> Metrics, string Text, JsonObject Facts);
