using Inpaint.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Checkpoints;

/// <summary>
/// What <c>--resume</c> needs beyond the generator: the step, the discriminator and its Adam state (when the run
/// has one: the freeform family trains without by default), the generator's Adam state, the torch RNG state and
/// the best validation so far, in <c>trainer-state.bin</c> next to <c>model.safetensors</c>. The data order needs no
/// state: samples are a function of the seed and the step. Version 1 files (always with a discriminator) still read.
/// </summary>
public static class TrainerState
{
    /// <summary>The file's name inside a checkpoint folder.</summary>
    public const string FileName = RunFolder.StateFileName;

    private const string Magic = "inpaint-trainer-state";
    private const int Version = 2;

    /// <summary>The scalar part of the state.</summary>
    /// <param name="Step">Steps completed.</param>
    /// <param name="Architecture">Generator architecture name.</param>
    /// <param name="BestPsnr">Best validation hole-PSNR so far (NaN: none yet).</param>
    /// <param name="BestStep">Step of <paramref name="BestPsnr"/>.</param>
    /// <param name="TrainSeconds">Wall seconds spent training so far, over all sessions.</param>
    public sealed record Scalars(long Step, string Architecture, double BestPsnr, long BestStep, double TrainSeconds);

    /// <summary>Writes the state; <paramref name="discriminator"/> and <paramref name="optimizerD"/> go together or not at all.</summary>
    public static void Write(Stream stream, Scalars scalars, nn.Module? discriminator, TorchSharp.Modules.OptimizerHelper optimizerG, TorchSharp.Modules.OptimizerHelper? optimizerD)
    {
        if ((discriminator is null) != (optimizerD is null)) throw new ArgumentException("a discriminator needs its optimiser and the other way round");
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(scalars.Step);
        writer.Write(scalars.Architecture);
        writer.Write(scalars.BestPsnr);
        writer.Write(scalars.BestStep);
        writer.Write(scalars.TrainSeconds);
        writer.Write(discriminator is not null);
        discriminator?.save(writer);
        optimizerG.save_state_dict(writer);
        optimizerD?.save_state_dict(writer);
        using Tensor rng = torch.get_rng_state();
        byte[] rngBytes = rng.bytes.ToArray();
        writer.Write(rngBytes.Length);
        writer.Write(rngBytes);
        writer.Flush();
    }

    /// <summary>Reads the scalars only (to check a resume folder before building anything).</summary>
    /// <exception cref="InvalidDataException">Not a trainer state file.</exception>
    public static Scalars ReadScalars(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return ReadHeader(reader);
    }

    /// <summary>Reads the state into the given modules and optimisers, and restores the torch RNG.</summary>
    /// <exception cref="InvalidDataException">Not a trainer state file, or one that does not fit.</exception>
    public static Scalars Read(Stream stream, nn.Module? discriminator, TorchSharp.Modules.OptimizerHelper optimizerG, TorchSharp.Modules.OptimizerHelper? optimizerD)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        (Scalars scalars, int version) = ReadHeaderAndVersion(reader);
        try
        {
            bool saved = version < 2 || reader.ReadBoolean();
            if (saved != (discriminator is not null))
                throw new InvalidDataException(saved ? "the checkpoint has a discriminator but this run trains without one (--adv-weight 0?)"
                    : "the checkpoint has no discriminator but this run trains with one (an --adv-weight above 0?)");
            discriminator?.load(reader);
            optimizerG.load_state_dict(reader);
            optimizerD?.load_state_dict(reader);
            int length = reader.ReadInt32();
            byte[] rngBytes = reader.ReadBytes(length);
            using Tensor rng = torch.empty(length, ScalarType.Byte);
            rngBytes.CopyTo(rng.bytes);
            torch.set_rng_state(rng);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"the trainer state is truncated or does not fit this model: {e.Message}");
        }
        return scalars;
    }

    private static Scalars ReadHeader(BinaryReader reader) => ReadHeaderAndVersion(reader).Scalars;

    private static (Scalars Scalars, int Version) ReadHeaderAndVersion(BinaryReader reader)
    {
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException("not an Inpaint trainer state file");
            int version = reader.ReadInt32();
            if (version is < 1 or > Version) throw new InvalidDataException($"trainer state version {version} is not supported");
            return (new Scalars(reader.ReadInt64(), reader.ReadString(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadDouble()), version);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the trainer state file is truncated");
        }
    }
}
