using Inpaint.Contract;
using Inpaint.Imaging;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Inpaint.OnnxInpaint;

/// <summary>
/// A damage detector (<see cref="DetectorContract"/>) with its ONNX Runtime session: finds the scratches, dust, captions
/// and other damage in a photo and gives them as a <see cref="HoleMap"/> the repairer takes, so an old photo can be
/// repaired without drawing a mask. Any size: the photo is cut into tiles that each carry the model's context around
/// the part they answer for. The photo is only read. One per model, safe to share across threads.
/// </summary>
public sealed class DamageDetector : IDisposable
{
    /// <summary>The side of the part of the photo one model call answers for, unless set (<see cref="Tile"/>).</summary>
    public const int DefaultTile = 512;

    private readonly InferenceSession session;
    private readonly SessionOptions sessionOptions;
    private int disposed;

    private DamageDetector(byte[] model, InpaintModelOptions options)
    {
        (session, sessionOptions, ActiveExecutionProvider, FallbackReason) = ModelSession.Open(model, options);
        try
        {
            Contract = DetectorContract.Parse(new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap), session.InputMetadata.Keys, session.OutputMetadata.Keys);
        }
        catch
        {
            session.Dispose();
            sessionOptions.Dispose();
            throw;
        }
        options.Log?.Invoke($"detector '{Contract.Architecture}' (threshold {Contract.Threshold:0.##}) on {ActiveExecutionProvider}" +
                            (FallbackReason is null ? "" : $" ({FallbackReason})"));
    }

    /// <summary>The contract metadata, with the threshold the detector was tuned for.</summary>
    public DetectorContract Contract { get; }

    /// <summary>The provider that really runs the detector.</summary>
    public ExecutionProvider ActiveExecutionProvider { get; private set; }

    /// <summary>Why <see cref="ExecutionProvider.Auto"/> ended on the CPU, when it did.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>
    /// The side of the part of the photo one model call answers for (it sees the model's context around it too): larger
    /// tiles cost more memory a call, smaller ones more overlap. Set it before the detector is shared between threads.
    /// </summary>
    public int Tile { get; set; } = DefaultTile;

    /// <summary>Loads a detector file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX model, or not a damage detector (an inpainter says so).</exception>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot be used.</exception>
    public static DamageDetector Load(string path, InpaintModelOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"detector '{path}' does not exist", path);
        return new DamageDetector(File.ReadAllBytes(path), options ?? new InpaintModelOptions());
    }

    /// <summary>Loads a detector from its bytes.</summary>
    /// <exception cref="InvalidDataException">Not an ONNX model, or not a damage detector.</exception>
    public static DamageDetector Load(byte[] model, InpaintModelOptions? options = null) =>
        new(model ?? throw new ArgumentNullException(nameof(model)), options ?? new InpaintModelOptions());

    /// <summary>
    /// How many scales of the photo the detector looks at: 1 the photo itself; 2 also half its size, 3 a quarter too,
    /// and so on (<see cref="DetectSettings.Levels"/>). A detector trained on small crops sees a caption of 90 px
    /// letters or a stain across a print as texture; at a smaller scale they have the size it learnt. Each pixel takes
    /// the highest probability over the scales. Set it before the detector is shared between threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the setting's range (1 to its maximum).</exception>
    public int Levels
    {
        get => levels;
        set
        {
            if (DetectSettings.Levels.Check(value, "levels") is { } problem) throw new ArgumentOutOfRangeException(nameof(value), value, problem);
            levels = value;
        }
    }

    private int levels = DetectSettings.Levels.Default;

    /// <summary>The probability that each pixel is damage, row-major, 0..1 (the highest over <see cref="Levels"/> scales).</summary>
    public float[] Probabilities(Image<Rgba32> photo, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        float[] result = AtOneScale(photo, cancellation);
        for (int level = 1; level < levels; level++)
        {
            int factor = 1 << level, width = photo.Width / factor, height = photo.Height / factor;
            if (Math.Min(width, height) < MinimumSide) break; // nothing left at that scale to find
            using Image<Rgba32> smaller = photo.Clone(c => c.Resize(width, height, KnownResamplers.Box));
            ProbabilityMaps.MaxUpsampled(result, photo.Width, photo.Height, AtOneScale(smaller, cancellation), width, height);
        }
        return result;
    }

    /// <summary>The smallest side a scale of the photo is looked at.</summary>
    private const int MinimumSide = 32;

    private float[] AtOneScale(Image<Rgba32> photo, CancellationToken cancellation)
    {
        // Windows start on the network's stride, so every tile sees the photo on the same downsampling grid as one call
        // over the whole photo would; the margin (the model's context) covers its receptive field.
        int stride = Contract.Stride, width = photo.Width, height = photo.Height;
        int tile = RoundUp(Math.Max(16, Tile), stride), margin = RoundUp(Contract.Context, stride);
        var result = new float[width * height];
        for (int top = 0; top < height; top += tile)
            for (int left = 0; left < width; left += tile)
            {
                cancellation.ThrowIfCancellationRequested();
                var core = new Rectangle(left, top, Math.Min(tile, width - left), Math.Min(tile, height - top));
                var window = Rectangle.Intersect(new Rectangle(core.X - margin, core.Y - margin, core.Width + 2 * margin, core.Height + 2 * margin),
                    new Rectangle(0, 0, width, height));
                float[] answer = Run(Planes(photo, window), window.Width, window.Height);
                for (int y = core.Top; y < core.Bottom; y++)
                    answer.AsSpan((y - window.Y) * window.Width + core.X - window.X, core.Width).CopyTo(result.AsSpan(y * width + core.X, core.Width));
            }
        return result;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The damage as holes: every pixel whose probability is at least <paramref name="threshold"/> (default: the detector's own).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold outside (0, 1).</exception>
    public HoleMap Detect(Image<Rgba32> photo, double? threshold = null, CancellationToken cancellation = default)
    {
        double t = threshold ?? Contract.Threshold;
        if (t is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(threshold), t, "the threshold must be between 0 and 1");
        float[] probabilities = Probabilities(photo, cancellation);
        var holes = new bool[probabilities.Length];
        for (int i = 0; i < holes.Length; i++) holes[i] = probabilities[i] >= t;
        return new HoleMap(photo.Width, photo.Height, holes, MaskSource.Detected);
    }

    /// <summary>A window of the photo as the contract's planes, RGB 0..255 [1,3,H,W].</summary>
    private static float[] Planes(Image<Rgba32> photo, Rectangle window)
    {
        int plane = window.Width * window.Height;
        var planes = new float[3 * plane];
        for (int y = 0; y < window.Height; y++)
        {
            Span<Rgba32> row = photo.DangerousGetPixelRowMemory(window.Y + y).Span.Slice(window.X, window.Width);
            for (int x = 0; x < row.Length; x++)
            {
                int p = y * window.Width + x;
                planes[p] = row[x].R;
                planes[plane + p] = row[x].G;
                planes[2 * plane + p] = row[x].B;
            }
        }
        return planes;
    }

    private float[] Run(float[] planes, int width, int height)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(planes, [1, 3, height, width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ContractNames.ImageInput], [input], [ContractNames.DamageOutput]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        session.Dispose();
        sessionOptions.Dispose();
    }
}
