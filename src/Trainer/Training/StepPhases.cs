using System.Diagnostics;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Wall time of a training step split into named phases, for <c>inpaint-train profile</c>. The step calls
/// <see cref="Mark"/> when a phase ends; on the CPU torch runs each op before returning, so the clock between two
/// marks is that phase's compute.
/// </summary>
public sealed class StepPhases
{
    private readonly Dictionary<string, TimeSpan> totals = new();
    private readonly List<string> order = [];
    private readonly Stopwatch clock = new();

    /// <summary>Phase names in the order they were first marked.</summary>
    public IReadOnlyList<string> Names => order;

    /// <summary>Starts timing a step (its first phase).</summary>
    public void Start() => clock.Restart();

    /// <summary>Ends the phase <paramref name="name"/> and starts the next.</summary>
    public void Mark(string name)
    {
        if (!totals.TryGetValue(name, out TimeSpan total))
        {
            order.Add(name);
            total = TimeSpan.Zero;
        }
        totals[name] = total + clock.Elapsed;
        clock.Restart();
    }

    /// <summary>Total time spent in a phase so far.</summary>
    public TimeSpan this[string name] => totals.TryGetValue(name, out TimeSpan t) ? t : TimeSpan.Zero;

    /// <summary>Forgets the times so far (after warm-up steps).</summary>
    public void Reset()
    {
        totals.Clear();
        order.Clear();
    }
}
