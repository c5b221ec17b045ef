using Inpaint.OnnxInpaint;
using Inpaint.OnnxInpaint.AspNetCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inpaint.Server.Tests;

/// <summary>The service gives memory back once idle, never while a repair runs or waits, and never when turned off.</summary>
public sealed class IdleMemoryReleaseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Releases_once_after_the_idle_time()
    {
        int calls = 0;
        var released = new TaskCompletionSource();
        using var release = new IdleMemoryRelease(TimeSpan.FromMilliseconds(20), () => { Interlocked.Increment(ref calls); released.TrySetResult(); },
            () => true, NullLogger.Instance);
        release.Arm();
        await released.Task.WaitAsync(Patience);
        await Task.Delay(100);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Waits_while_work_is_under_way_and_releases_after_the_next_arm()
    {
        bool idle = false;
        int calls = 0;
        var released = new TaskCompletionSource();
        using var release = new IdleMemoryRelease(TimeSpan.FromMilliseconds(20), () => { Interlocked.Increment(ref calls); released.TrySetResult(); },
            () => Volatile.Read(ref idle), NullLogger.Instance);
        release.Arm();
        await Task.Delay(200);
        Assert.Equal(0, calls); // a repair was admitted: nothing released
        Volatile.Write(ref idle, true);
        release.Arm(); // that repair's end
        await released.Task.WaitAsync(Patience);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Zero_turns_it_off()
    {
        int calls = 0;
        using var release = new IdleMemoryRelease(TimeSpan.Zero, () => Interlocked.Increment(ref calls), () => true, NullLogger.Instance);
        release.Arm();
        await Task.Delay(200);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void The_model_gives_its_arena_back_and_still_repairs()
    {
        using InpaintModel model = InpaintModel.Load(TestImages.Fixture("freeform-tiny.onnx"), new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        var image = new float[3 * 32 * 32];
        var mask = new float[32 * 32];
        var before = new float[3 * 32 * 32];
        var after = new float[3 * 32 * 32];
        for (int i = 0; i < image.Length; i++) image[i] = i % 251;
        for (int i = 0; i < 100; i++) mask[i] = 255;
        model.Run(image, mask, before, 1, 32, 32);
        model.ReleaseMemory();
        model.Run(image, mask, after, 1, 32, 32);
        Assert.Equal(before, after);
    }
}
