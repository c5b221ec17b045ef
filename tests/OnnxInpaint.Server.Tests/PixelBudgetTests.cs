using Inpaint.OnnxInpaint.AspNetCore;

namespace Inpaint.Server.Tests;

/// <summary>The service's pixel budget: repairs wait while the photos in flight would pass it, and a larger one runs alone.</summary>
public sealed class PixelBudgetTests
{
    [Fact]
    public async Task A_repair_waits_until_its_pixels_fit_and_a_larger_one_runs_alone()
    {
        var budget = new PixelBudget(limit: 100);
        budget.Take(60, CancellationToken.None);
        Task second = Task.Run(() => budget.Take(60, CancellationToken.None));
        await Task.Delay(200);
        Assert.False(second.IsCompleted); // 60 + 60 > 100: it waits
        budget.Give(60);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(60, budget.InFlight);
        budget.Give(60);

        budget.Take(500, CancellationToken.None); // above the whole budget, but nothing else runs: it goes ahead
        Assert.Equal(500, budget.InFlight);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.Throws<OperationCanceledException>(() => budget.Take(1, cancel.Token)); // gave up while waiting
        budget.Give(500);
        Assert.Equal(0, budget.InFlight);
    }
}
