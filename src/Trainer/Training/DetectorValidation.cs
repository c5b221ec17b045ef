using System.Globalization;
using System.Text.Json.Nodes;
using Inpaint.Masks;
using Inpaint.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Held-out crops for the damage detector: the validation photos cut into tiles (<see cref="ValidationTiles"/>), each
/// damaged once with every kind (seeded apart from training) and once left clean. Per kind: pixel precision, recall
/// and F1 at the threshold (<see cref="DetectionScore"/>, a 1-px band around the damage counting neither way); on the
/// clean tiles, the share of pixels flagged. The score that picks the best checkpoint is the mean F1 over the kinds.
/// </summary>
public sealed class DetectorValidation
{
    /// <summary>Seed base of the validation damage; training damage comes from other seeds.</summary>
    public const int DamageSeed = 0x0DA3A6E;

    private readonly int size;
    private readonly List<float[]> tiles;
    private readonly DamageNet net;
    private readonly Device device;
    private readonly int batchSize;

    /// <summary>Cuts the tiles; photos that fail to decode are skipped with a warning.</summary>
    public DetectorValidation(IReadOnlyList<Data.PhotoEntry> photos, Data.PhotoCache cache, DamageNet net, Device device, int batchSize, Action<string>? warn)
    {
        size = net.Spec.ImageSize;
        tiles = ValidationTiles.Cut(photos, cache, size, warn);
        this.net = net;
        this.device = device;
        this.batchSize = Math.Max(1, batchSize);
    }

    /// <summary>Tiles measured per kind.</summary>
    public int Tiles => tiles.Count;

    /// <summary>The thresholds validation tries; the best mean F1 picks the one the exported model carries.</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [0.3, 0.4, 0.5, 0.6, 0.7];

    /// <summary>Scores per kind, and the clean tiles' score (its <see cref="DetectionScore.FlaggedShare"/>), at <paramref name="threshold"/>.</summary>
    public (IReadOnlyDictionary<DamageKind, DetectionScore> Kinds, DetectionScore Clean) Measure(double threshold) => Measure([threshold])[0];

    /// <summary>The scores at each of <paramref name="thresholds"/> (the network runs once per kind).</summary>
    public IReadOnlyList<(IReadOnlyDictionary<DamageKind, DetectionScore> Kinds, DetectionScore Clean)> Measure(IReadOnlyList<double> thresholds)
    {
        var detections = new Dictionary<DamageKind, List<(bool[] Truth, float[] Probability)>>();
        foreach (DamageKind kind in DamageKinds.All) detections[kind] = Detections(kind);
        List<(bool[] Truth, float[] Probability)> clean = Detections(null);
        return thresholds.Select(t => ((IReadOnlyDictionary<DamageKind, DetectionScore>)detections.ToDictionary(d => d.Key, d => Score(d.Value, t)), Score(clean, t))).ToList();
    }

    /// <summary>The summary the training loop logs and picks checkpoints by: the scores at the threshold with the best mean F1.</summary>
    public ValidationSummary Summary()
    {
        if (tiles.Count == 0) return new ValidationSummary(0, 0, new Dictionary<string, double>(), "no validation tiles", new JsonObject());
        var all = Measure(Thresholds);
        int best = Enumerable.Range(0, all.Count).MaxBy(i => all[i].Kinds.Values.Average(s => s.F1));
        var (kinds, clean) = all[best];
        double threshold = Thresholds[best], meanF1 = kinds.Values.Average(s => s.F1);
        var metrics = new Dictionary<string, double> { ["f1"] = meanF1, ["clean_flagged"] = clean.FlaggedShare, ["threshold"] = threshold };
        var facts = new JsonObject { ["mean_f1"] = Math.Round(meanF1, 4), ["clean_flagged"] = Math.Round(clean.FlaggedShare, 6), ["threshold"] = threshold };
        foreach (var (kind, score) in kinds)
        {
            metrics[$"{kind.Word()}/f1"] = score.F1;
            facts[kind.Word()] = new JsonObject { ["precision"] = Math.Round(score.Precision, 4), ["recall"] = Math.Round(score.Recall, 4), ["f1"] = Math.Round(score.F1, 4) };
        }
        string text = string.Create(CultureInfo.InvariantCulture,
            $"F1 {meanF1:0.000} at {threshold:0.0} ({string.Join(", ", kinds.Select(k => $"{k.Key.Word()} {k.Value.F1:0.00}"))}); clean flagged {100 * clean.FlaggedShare:0.000} %");
        return new ValidationSummary(meanF1, tiles.Count * (kinds.Count + 1), metrics, text, facts);
    }

    private DetectionScore Score(List<(bool[] Truth, float[] Probability)> detections, double threshold)
    {
        var score = new DetectionScore();
        foreach (var (truth, probability) in detections)
        {
            var detected = new bool[truth.Length];
            for (int p = 0; p < truth.Length; p++) detected[p] = probability[p] >= threshold;
            score.Add(truth, detected, size, size);
        }
        return score;
    }

    /// <summary>Every tile with one kind of damage (null: clean), its truth and the detector's probabilities.</summary>
    private List<(bool[] Truth, float[] Probability)> Detections(DamageKind? kind)
    {
        int plane = size * size;
        var result = new List<(bool[], float[])>();
        for (int start = 0; start < tiles.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, tiles.Count - start);
            var images = new float[n * 3 * plane];
            var truth = new bool[n][];
            for (int i = 0; i < n; i++)
            {
                tiles[start + i].CopyTo(images, i * 3 * plane);
                truth[i] = new bool[plane];
                if (kind is { } k)
                    DamageRenderer.Draw(k, images.AsSpan(i * 3 * plane, 3 * plane), size, size, -1f, 1f, new Random(DamageSeed + 7919 * (start + i) + (int)k), truth[i]);
            }
            float[] probabilities = Detect(images, n);
            for (int i = 0; i < n; i++) result.Add((truth[i], probabilities.AsSpan(i * plane, plane).ToArray()));
        }
        return result;
    }

    private float[] Detect(float[] images, int n)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        Tensor x = torch.tensor(images, [n, 3, size, size]).to(device);
        return net.Probabilities(x).cpu().data<float>().ToArray();
    }
}
