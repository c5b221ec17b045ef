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
    /// How many scales of the photo the detector looks at (<see cref="DetectSettings.Levels"/>): 1 (the default) the photo
    /// itself; 2 also half its size, 3 a quarter too, and so on; 0 as many as bring the photo's shorter side down to
    /// <see cref="WholePhotoSide"/>, the size at which the detector learnt whole photos. Thin damage (scratches, dust) is
    /// found at the photo's own size; a caption, a stain or a torn corner is sized by the photo, so on a large photo only
    /// a smaller scale shows it at a size the detector knows, and a smaller scale also takes more of the picture's own
    /// bright edges and small objects for damage (docs/detector.md has the figures). Each pixel takes the highest
    /// probability over the scales. Set it before the detector is shared between threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the setting's range.</exception>
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

    /// <summary>
    /// The largest shorter side at which the detector saw whole photos in training: the trainer resizes each photo's
    /// shorter side to one to three times the crop (<see cref="DetectorContract.ImageSize"/>) before it cuts a crop and
    /// draws damage sized by that resized photo.
    /// </summary>
    public int WholePhotoSide => 3 * Contract.ImageSize;

    /// <summary>The scales <see cref="Probabilities"/> looks at for a photo of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public int LevelsFor(int width, int height)
    {
        int wanted = levels;
        if (wanted == 0)
        {
            wanted = 1;
            for (int side = Math.Min(width, height); side > WholePhotoSide; side /= 2) wanted++;
        }
        int usable = 1;
        while (usable < wanted && Math.Min(width, height) >> usable >= MinimumSide) usable++;
        return usable;
    }

    /// <summary>The probability that each pixel is damage, row-major, 0..1 (the highest over the scales of <see cref="LevelsFor"/>).</summary>
    public float[] Probabilities(Image<Rgba32> photo, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        float[] result = AtOneScale(photo, cancellation);
        for (int level = 1, count = LevelsFor(photo.Width, photo.Height); level < count; level++)
        {
            int factor = 1 << level, width = photo.Width / factor, height = photo.Height / factor;
            using Image<Rgba32> smaller = photo.Clone(c => c.Resize(width, height, KnownResamplers.Box));
            float[] coarse = AtOneScale(smaller, cancellation);
            ProbabilityMaps.KeepLarge(coarse, width, height, (float)Contract.Threshold, MinCoarseArea, MinCoarseDepth);
            ProbabilityMaps.MaxUpsampled(result, photo.Width, photo.Height, coarse, width, height);
        }
        return result;
    }

    /// <summary>
    /// The least area, in pixels of a smaller scale, of what that scale may add (at the detector's threshold): an 8x8
    /// patch there, 16x16 at the scale above it. Smaller findings are specks and short lines, which the photo's own
    /// scale finds; at a small scale they are mostly small objects of the picture (measured: docs/detector.md).
    /// </summary>
    public const int MinCoarseArea = 64;

    /// <summary>
    /// How far from its edge the deepest pixel of what a smaller scale adds must be (chessboard, in pixels of that
    /// scale; 3: it holds a 5x5 square). A caption's strokes and a stain are that thick at the scale that shows them
    /// whole; a bright edge or a wire of the picture is thinner.
    /// </summary>
    public const int MinCoarseDepth = 3;

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
