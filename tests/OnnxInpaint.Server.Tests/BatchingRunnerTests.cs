using Inpaint.Contract;
using Inpaint.OnnxInpaint;
using Inpaint.OnnxInpaint.AspNetCore;

namespace Inpaint.Server.Tests;

/// <summary>The dynamic batcher on its own, over a fake model that adds each window's index to its pixels.</summary>
public sealed class BatchingRunnerTests
{
    /// <summary>Output = input + 1; records every call.</summary>
    private sealed class FakeModel : IInpaintRunner
    {
        public List<(int Batch, int Height, int Width)> Calls { get; } = [];
        public Exception? Failure { get; set; }
        public int CallerThread { get; private set; }

        public ModelContract Contract { get; } = new() { Architecture = "fake", ImageSize = 4, Hole = HoleKind.Freeform };
        public int PreferredBatchSize => 2;

        public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width, CancellationToken cancellation = default)
        {
            lock (Calls) Calls.Add((batch, height, width));
            CallerThread = Environment.CurrentManagedThreadId;
            if (Failure is { } failure) throw failure;
            for (int i = 0; i < batch * 3 * height * width; i++) output[i] = image[i] + 1;
        }

        /// <summary>Output = pre-fill + 2, so a test sees which buffer arrived.</summary>
        public void RunPrefilled(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
            int height, int width, CancellationToken cancellation = default)
        {
            lock (Calls) { Calls.Add((batch, height, width)); PrefilledCalls++; }
            for (int i = 0; i < batch * 3 * height * width; i++) output[i] = prefilled[i] + 2;
        }

        public int PrefilledCalls { get; private set; }
    }

    /// <summary>
    /// One caller's call on its own thread: windows filled with <paramref name="value"/>, pre-filled with
    /// <paramref name="prefill"/> when given (through RunPrefilled); returns its output.
    /// </summary>
    private static Task<float[]> Call(IInpaintRunner runner, int batch, int side, float value, CancellationToken cancellation = default, float? prefill = null) =>
        Task.Factory.StartNew(() =>
        {
            int plane = side * side;
            var image = Enumerable.Repeat(value, batch * 3 * plane).ToArray();
            var output = new float[batch * 3 * plane];
            if (prefill is { } p) runner.RunPrefilled(image, Enumerable.Repeat(p, batch * 3 * plane).ToArray(), new float[batch * plane], output, batch, side, side, cancellation);
            else runner.Run(image, new float[batch * plane], output, batch, side, side, cancellation);
            return output;
        }, TaskCreationOptions.LongRunning);

    [Fact]
    public async Task Calls_of_the_same_size_go_in_one_model_call_and_each_gets_its_own_windows()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 6, TimeSpan.FromSeconds(10));
        float[][] outputs = await Task.WhenAll(Call(runner, 2, 4, 10), Call(runner, 2, 4, 20), Call(runner, 2, 4, 30));
        Assert.Equal([(6, 4, 4)], model.Calls);
        Assert.All(outputs[0], v => Assert.Equal(11, v));
        Assert.All(outputs[1], v => Assert.Equal(21, v));
        Assert.All(outputs[2], v => Assert.Equal(31, v));
        var s = runner.Statistics;
        Assert.Equal((1L, 6L, 3L, 6, 3), (s.ModelCalls, s.Windows, s.Requests, s.LargestBatch, s.MostRequests));
        Assert.Equal(6.0, s.MeanBatchSize);
    }

    [Fact]
    public async Task Pre_filled_calls_keep_their_pre_fill_and_never_share_a_model_call_with_plain_ones()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 8, TimeSpan.FromMilliseconds(300));
        float[][] outputs = await Task.WhenAll(Call(runner, 2, 4, 10, prefill: 110), Call(runner, 2, 4, 20), Call(runner, 2, 4, 30, prefill: 130));
        Assert.All(outputs[0], v => Assert.Equal(112, v));
        Assert.All(outputs[1], v => Assert.Equal(21, v));
        Assert.All(outputs[2], v => Assert.Equal(132, v));
        Assert.Equal(2, model.Calls.Count);
        Assert.Equal(1, model.PrefilledCalls);
    }

    [Fact]
    public void Without_batching_a_pre_filled_call_goes_straight_to_the_model()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 1, TimeSpan.Zero);
        var output = new float[3 * 16];
        runner.RunPrefilled(new float[3 * 16], Enumerable.Repeat(5f, 3 * 16).ToArray(), new float[16], output, 1, 4, 4);
        Assert.All(output, v => Assert.Equal(7, v));
        Assert.Equal(1, model.PrefilledCalls);
    }

    [Fact]
    public async Task Sizes_are_never_mixed_and_batches_never_exceed_the_maximum()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 4, TimeSpan.FromMilliseconds(200));
        await Task.WhenAll(Call(runner, 2, 4, 1), Call(runner, 2, 8, 2), Call(runner, 2, 4, 3), Call(runner, 2, 4, 4), Call(runner, 3, 8, 5));
        Assert.All(model.Calls, c => Assert.True(c.Batch <= 4 || c.Batch == 3));
        Assert.Equal(6, model.Calls.Where(c => c.Height == 4).Sum(c => c.Batch));
        Assert.Equal(5, model.Calls.Where(c => c.Height == 8).Sum(c => c.Batch));
    }

    [Fact]
    public async Task With_two_instances_a_second_batch_runs_while_the_first_is_in_the_model()
    {
        var model = new FakeModel();
        var gate = new GateRunner(model);
        using var runner = new BatchingRunner(gate, maxBatchSize: 2, TimeSpan.FromSeconds(10), instances: 2);
        gate.Hold();
        var first = Call(runner, 2, 4, 1);
        gate.WaitForEntered(1);
        var second = Call(runner, 2, 4, 2);
        gate.WaitForEntered(2); // the second batch reached the model although the first has not returned
        gate.Release();
        await Task.WhenAll(first, second);
        Assert.Equal(2, runner.Statistics.ModelCalls);
    }

    [Fact]
    public async Task A_lone_repair_does_not_wait_for_the_delay()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 32, TimeSpan.FromSeconds(10));
        using (runner.BeginRepair())
        {
            var timer = System.Diagnostics.Stopwatch.StartNew();
            await Call(runner, 1, 4, 0);
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), $"took {timer.Elapsed}");
        }
    }

    [Fact]
    public async Task A_caller_that_gives_up_leaves_the_queue_and_its_windows_are_never_run()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 32, TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource();
        var call = Call(runner, 2, 4, 0, cancel.Token);
        for (int i = 0; i < 500 && runner.Waiting == 0; i++) await Task.Delay(10);
        Assert.Equal(1, runner.Waiting);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, runner.Waiting);
        Assert.Empty(model.Calls);
    }

    [Fact]
    public async Task A_failed_model_call_fails_every_caller_in_it()
    {
        var model = new FakeModel { Failure = new InvalidOperationException("out of memory on the device") };
        using var runner = new BatchingRunner(model, maxBatchSize: 4, TimeSpan.FromSeconds(10));
        var calls = new[] { Call(runner, 2, 4, 1), Call(runner, 2, 4, 2) };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<InpaintModelException>(() => call);
            Assert.Equal("the model call failed: out of memory on the device", e.Message);
        }
        Assert.Equal(1, runner.Statistics.Failures);
        Assert.Single(model.Calls);
    }

    [Fact]
    public async Task With_a_maximum_of_one_each_call_runs_on_its_callers_thread()
    {
        var model = new FakeModel();
        using var runner = new BatchingRunner(model, maxBatchSize: 1, TimeSpan.FromSeconds(10));
        Assert.False(runner.Batching);
        int thread = 0;
        var output = await Task.Factory.StartNew(() =>
        {
            thread = Environment.CurrentManagedThreadId;
            var result = new float[3 * 16 * 2];
            runner.Run(new float[3 * 16 * 2], new float[16 * 2], result, 2, 4, 4);
            return result;
        }, TaskCreationOptions.LongRunning);
        Assert.Equal(thread, model.CallerThread);
        Assert.All(output, v => Assert.Equal(1, v));
        Assert.Equal((1L, 2L, 1L), (runner.Statistics.ModelCalls, runner.Statistics.Windows, runner.Statistics.Requests));
    }

    [Fact]
    public async Task Disposing_releases_waiting_callers()
    {
        var model = new FakeModel();
        var runner = new BatchingRunner(model, maxBatchSize: 32, TimeSpan.FromSeconds(10));
        var call = Call(runner, 1, 4, 0);
        for (int i = 0; i < 500 && runner.Waiting == 0; i++) await Task.Delay(10);
        runner.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call);
        Assert.Throws<ObjectDisposedException>(() => runner.Run(new float[48], new float[16], new float[48], 1, 4, 4));
    }
}
