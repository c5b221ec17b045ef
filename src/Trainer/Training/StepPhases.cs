using System.Diagnostics;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Wall time of training steps split into named phases, for <c>inpaint-train profile</c>. The step calls
/// <see cref="Mark"/> when a phase ends; on the CPU torch runs each op before returning, so the clock between two
/// marks is that phase's compute. Every step's times are kept, so a report can take medians: on a shared machine a
/// single slow step (another process's burst) moves a mean far more than a median.
/// </summary>
public sealed class StepPhases
{
    private readonly Dictionary<string, List<double>> samples = new();
    private readonly List<string> order = [];
    private readonly List<double> steps = [];
    private readonly Stopwatch clock = new();

    /// <summary>Phase names in the order they were first marked.</summary>
    public IReadOnlyList<string> Names => order;

    /// <summary>Starts timing a step (its first phase).</summary>
    public void Start()
    {
        steps.Add(0);
        clock.Restart();
    }

    /// <summary>Ends the phase <paramref name="name"/> and starts the next.</summary>
    public void Mark(string name)
    {
        if (!samples.TryGetValue(name, out List<double>? times))
        {
            order.Add(name);
            samples[name] = times = [];
        }
        double ms = clock.Elapsed.TotalMilliseconds;
        times.Add(ms);
        if (steps.Count > 0) steps[^1] += ms;
        clock.Restart();
    }

    /// <summary>The median milliseconds of a phase over the steps so far (0 when it was never marked).</summary>
    public double MedianMs(string name) => samples.TryGetValue(name, out List<double>? times) ? Median(times) : 0;

    /// <summary>Total time spent in a phase so far.</summary>
    public TimeSpan Total(string name) => TimeSpan.FromMilliseconds(samples.TryGetValue(name, out List<double>? times) ? times.Sum() : 0);

    /// <summary>The median milliseconds of a whole step (its phases together).</summary>
    public double MedianStepMs => Median(steps);

    /// <summary>Forgets the times so far (after warm-up steps).</summary>
    public void Reset()
    {
        samples.Clear();
        order.Clear();
        steps.Clear();
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
