using Inpaint.Contract;
using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// An "inpaint/1" ONNX model with its ONNX Runtime session: one per model, safe to share across threads.
/// Loads from a path, bytes or a stream, checks the contract metadata, and picks the execution provider
/// (<see cref="ActiveExecutionProvider"/> tells which one really runs).
/// </summary>
public sealed class InpaintModel : IInpaintRunner, IDisposable
{
    private readonly InferenceSession session;
    private readonly SessionOptions sessionOptions;
    private int disposed;

    private InpaintModel(byte[] model, InpaintModelOptions options)
    {
        Options = options;
        (session, sessionOptions, ActiveExecutionProvider, FallbackReason) = ModelSession.Open(model, options);
        try
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            Contract = ModelContract.Parse(new Dictionary<string, string>(metadata), session.InputMetadata.Keys, session.OutputMetadata.Keys);
        }
        catch
        {
            session.Dispose();
            sessionOptions.Dispose();
            throw;
        }
        options.Log?.Invoke($"model '{Contract.Architecture}' ({Contract.ImageSize}px, hole {Contract.Hole}) on {ActiveExecutionProvider}" +
                            (FallbackReason is null ? "" : $" ({FallbackReason})"));
    }

    /// <summary>The contract metadata.</summary>
    public ModelContract Contract { get; }

    /// <summary>The provider that really runs the model.</summary>
    public ExecutionProvider ActiveExecutionProvider { get; private set; }

    /// <summary>Why <see cref="ExecutionProvider.Auto"/> ended on the CPU, when it did.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>The options the model was loaded with.</summary>
    public InpaintModelOptions Options { get; }

    /// <inheritdoc />
    public int PreferredBatchSize => Math.Max(1, Options.BatchSize);

    /// <summary>Loads a model file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX model, or not an inpaint/1 model.</exception>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot be used.</exception>
    public static InpaintModel Load(string path, InpaintModelOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model '{path}' does not exist", path);
        return new InpaintModel(File.ReadAllBytes(path), options ?? new InpaintModelOptions());
    }

    /// <summary>Loads a model from its bytes.</summary>
    public static InpaintModel Load(byte[] model, InpaintModelOptions? options = null) =>
        new(model ?? throw new ArgumentNullException(nameof(model)), options ?? new InpaintModelOptions());

    /// <summary>Loads a model from a stream (read to the end).</summary>
    public static InpaintModel Load(Stream stream, InpaintModelOptions? options = null)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new InpaintModel(buffer.ToArray(), options ?? new InpaintModelOptions());
    }

    /// <summary>The execution providers compiled into the loaded native ONNX Runtime (available is not usable).</summary>
    public static IReadOnlyList<string> AvailableProviders() => ModelSession.AvailableProviders();

    /// <summary>
    /// Runs the model on <paramref name="batch"/> images at its own size: <paramref name="image"/> [N,3,S,S] and
    /// <paramref name="mask"/> [N,1,S,S] in 0..255; writes [N,3,S,S] into <paramref name="output"/>. Thread-safe.
    /// </summary>
    public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, CancellationToken cancellation = default) =>
        Run(image, mask, output, batch, Contract.ImageSize, Contract.ImageSize, cancellation);

    /// <summary>
    /// Runs the model on <paramref name="batch"/> images of <paramref name="height"/> x <paramref name="width"/>
    /// (any size for a freeform model; the model's own size for a patch model): <paramref name="image"/> [N,3,H,W]
    /// and <paramref name="mask"/> [N,1,H,W] in 0..255; writes [N,3,H,W] into <paramref name="output"/>. Thread-safe.
    /// </summary>
    /// <exception cref="ArgumentException">Buffers too small, or a size a patch model cannot take.</exception>
    public void Run(ReadOnlySpan<float> image, ReadOnlySpan<float> mask, Span<float> output, int batch, int height, int width,
        CancellationToken cancellation = default) =>
        Execute(image, default, mask, output, batch, height, width, cancellation);

    /// <summary>
    /// As <see cref="Run(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, CancellationToken)"/>, with
    /// the holes already pre-filled (<paramref name="prefilled"/> [N,3,H,W] 0..255, the model's own pre-fill): a model
    /// whose contract has the pre-filled path then runs only its network; any other computes its pre-fill as usual.
    /// </summary>
    /// <exception cref="ArgumentException">Buffers too small, or a size a patch model cannot take.</exception>
    public void RunPrefilled(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
        int height, int width, CancellationToken cancellation = default) =>
        Execute(image, Contract.HasPrefilledPath ? prefilled : default, mask, output, batch, height, width, cancellation);

    /// <summary>
    /// Gives back the memory ONNX Runtime's CPU arena holds for earlier, larger calls: one call at the model's smallest
    /// size with the arena's shrinkage on, which frees every arena region no tensor uses. Costs that call (milliseconds)
    /// and makes the next large call allocate again; a service calls it when it has gone idle. Thread-safe.
    /// </summary>
    public void ReleaseMemory()
    {
        int side = Contract.Family == ModelFamily.Center ? Contract.ImageSize : Contract.MinSize;
        var image = new float[3 * side * side];
        var mask = new float[side * side];
        Execute(image, default, mask, new float[3 * side * side], 1, side, side, CancellationToken.None, shrinkArena: true);
    }

    /// <summary>The one path of all calls; <paramref name="prefilled"/> is empty unless the graph takes it.</summary>
    private void Execute(ReadOnlySpan<float> image, ReadOnlySpan<float> prefilled, ReadOnlySpan<float> mask, Span<float> output, int batch,
        int height, int width, CancellationToken cancellation, bool shrinkArena = false)
    {
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        if (Contract.Family == ModelFamily.Center && (height != Contract.ImageSize || width != Contract.ImageSize))
            throw new ArgumentException($"this patch model takes {Contract.ImageSize}x{Contract.ImageSize} inputs, not {width}x{height}");
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), "the size must be positive");
        int plane = height * width;
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch));
        if (image.Length < batch * 3 * plane || mask.Length < batch * plane || output.Length < batch * 3 * plane
            || (!prefilled.IsEmpty && prefilled.Length < batch * 3 * plane))
            throw new ArgumentException($"buffers are too small for a batch of {batch} at {width}x{height}");
        cancellation.ThrowIfCancellationRequested();

        // Pooled buffers: OrtValues wrap managed memory without copying.
        using var inputs = new ModelInputs(image, prefilled, mask, batch, height, width);
        float[] outputBuffer = ArrayPool<float>.Shared.Rent(batch * 3 * plane);
        try
        {
            using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, outputBuffer.AsMemory(0, batch * 3 * plane), [batch, 3, height, width]);
            using var runOptions = new RunOptions();
            if (shrinkArena) runOptions.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            using var registration = cancellation.Register(() => runOptions.Terminate = true);
            try
            {
                session.Run(runOptions, inputs.Names, inputs.Values, [ContractNames.Output], [outputValue]);
            }
            catch (OnnxRuntimeException) when (cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellation);
            }
            outputBuffer.AsSpan(0, batch * 3 * plane).CopyTo(output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(outputBuffer);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        session.Dispose();
        sessionOptions.Dispose();
    }
}
