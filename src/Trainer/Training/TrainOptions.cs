using System.Text.Json.Serialization;
using Inpaint.Trainer.Masks;

namespace Inpaint.Trainer.Training;

/// <summary>
/// Everything a training run is configured with. Defaults are the article's (Adam 2e-4, betas 0.5/0.999,
/// 0.999 L1 + 0.001 adversarial, batch 8, 200 epochs, samples every 1000 steps). Saved as run.json so
/// <c>--resume</c> continues with the same settings.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Folder of training photos (searched recursively).</summary>
    public string DataDir { get; init; } = "";

    /// <summary>Run folder for checkpoints, samples and logs.</summary>
    public string OutDir { get; init; } = "";

    /// <summary>Generator architecture name.</summary>
    public string Architecture { get; init; } = Models.Architectures.Compact;

    /// <summary>Passes over the training photos (one random crop of each per pass).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Stop after this many steps in all (0: run all epochs).</summary>
    public long MaxSteps { get; init; }

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Generator learning rate.</summary>
    public double LearningRateG { get; init; } = 2e-4;

    /// <summary>Discriminator learning rate.</summary>
    public double LearningRateD { get; init; } = 2e-4;

    /// <summary>Adam beta1 (both nets).</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam beta2 (both nets).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Weight of the L1 reconstruction loss.</summary>
    public double PixelWeight { get; init; } = 0.999;

    /// <summary>Weight of the least-squares adversarial loss.</summary>
    public double AdversarialWeight { get; init; } = 0.001;

    /// <summary>Write a sample grid every N steps (0: never).</summary>
    public int SampleInterval { get; init; } = 1000;

    /// <summary>Validate every N steps (0: once per epoch). Always at the end too.</summary>
    public int ValidationInterval { get; init; } = 500;

    /// <summary>Checkpoint every N steps. Always at the end and on Ctrl-C too.</summary>
    public int CheckpointInterval { get; init; } = 500;

    /// <summary>How many step checkpoints to keep (the best is kept apart).</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Seed of the weights' initialisation and of the data (order, crops, flips, holes).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Torch intra-op threads (0: the machine's core count).</summary>
    public int Threads { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Background threads making batches.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Batches each worker may have ready ahead of the loop.</summary>
    public int Prefetch { get; init; } = 4;

    /// <summary>Smallest random shorter side before cropping (0: the image size).</summary>
    public int MinScale { get; init; }

    /// <summary>Largest random shorter side before cropping (0: three times the image size).</summary>
    public int MaxScale { get; init; }

    /// <summary>Mirror half the crops.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>Where training holes go (validation always uses the centre).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<MaskMode>))]
    public MaskMode Mask { get; init; } = MaskMode.Square;

    /// <summary><c>white</c> (the article's 1.0) or <c>mean</c> (the training photos' mean colour, as Pathak).</summary>
    public string Fill { get; init; } = "white";

    /// <summary>Pathak's overlap in pixels (0: off).</summary>
    public int Overlap { get; init; }

    /// <summary>Loss weight of the overlap rim relative to the blanked square.</summary>
    public double OverlapWeight { get; init; } = 10;

    /// <summary>Share of the photos held out for validation (ignored when <see cref="ValidationLast"/> &gt; 0).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Hold out the last N photos in path order instead (the article's split).</summary>
    public int ValidationLast { get; init; }

    /// <summary>Progress lines every N steps when the output is not a terminal.</summary>
    public int LogInterval { get; init; } = 10;

    /// <summary>Memory for decoded photos, in bytes.</summary>
    public long CacheBytes { get; init; } = 2L << 30;

    /// <summary>A separate folder of validation photos (then <see cref="ValidationFraction"/> is not used).</summary>
    public string? ValidationDir { get; init; }

    /// <summary>How photos are drawn: uniform per epoch, or weighted by the first folder (e.g. a Debian package).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<Data.PhotoWeighting>))]
    public Data.PhotoWeighting Weighting { get; init; } = Data.PhotoWeighting.Uniform;

    /// <summary>Freeform family: the mask mix, e.g. <c>freeform=3,scratch=2,text=2,box=1.5,square=0.5,center=1,combine=0.15</c>.</summary>
    public string MaskMix { get; init; } = Inpaint.Masks.MaskMix.Default.ToString();

    /// <summary>Freeform family: weight of an L1 loss on image gradients inside and around the hole (0: off).</summary>
    public double GradientWeight { get; init; }

    /// <summary>Freeform family: clip the generator's gradient to this global norm before each step (0: off).</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>Freeform family: learning-rate schedule, <c>constant</c> or <c>cosine</c> (to 5% of the rate at the last step).</summary>
    public string Schedule { get; init; } = "constant";
}
