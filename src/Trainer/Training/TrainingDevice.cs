using static TorchSharp.torch;

namespace Inpaint.Trainer.Training;

/// <summary>The torch device a run trains on.</summary>
public static class TrainingDevice
{
    /// <summary>Maps <c>cpu</c>/<c>cuda</c> to a device, refusing CUDA where no CUDA libtorch is loaded.</summary>
    /// <exception cref="UserError">Unknown device, or CUDA unavailable.</exception>
    public static Device Resolve(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new UserError(
                        "--device cuda: no CUDA device is usable. This build links TorchSharp-cpu (libtorch 2.10 CPU); " +
                        "on a GPU machine reference a CUDA libtorch package (e.g. libtorch-cuda-12.8-linux-x64) instead, or use --device cpu.");
                return CUDA;
            default:
                throw new UserError($"unknown device '{name}' (use cpu or cuda)");
        }
    }
}
