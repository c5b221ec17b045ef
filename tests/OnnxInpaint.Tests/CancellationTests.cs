namespace Inpaint.OnnxInpaint.Tests;

/// <summary>Cancellation that arrives while a repair is running, not before it starts.</summary>
public class CancellationTests
{
    [Fact]
    public void ARepairStopsSoonAfterCancellationArrivesMidRun()
    {
        using var model = Fixture.LoadTiny(batch: 1);
        using var photo = Fixture.Photo(400, 300);
        // Far-apart specks: one window each, one model call each (batch 1).
        var holes = Fixture.Holes(400, 300, (x, y) => x % 50 == 10 && y % 50 == 10);
        using (new PhotoRepairer(model).Repair(photo, holes, out var full)) Assert.True(full.Windows >= 20, $"{full.Windows} windows");

        using var cancel = new CancellationTokenSource();
        int reports = 0;
        var progress = new CancelAfter(3, cancel, () => reports++);
        Assert.ThrowsAny<OperationCanceledException>(() => new PhotoRepairer(model).Repair(photo, holes, out _, progress, cancel.Token));
        // Cancelled after the third window: the run stopped well before the last one.
        Assert.InRange(reports, 3, 5);
    }

    private sealed class CancelAfter(int windows, CancellationTokenSource cancel, Action counted) : IProgress<RepairProgress>
    {
        public void Report(RepairProgress value)
        {
            counted();
            if (value.WindowsDone >= windows) cancel.Cancel();
        }
    }
}
