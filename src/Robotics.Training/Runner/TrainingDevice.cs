using TorchSharp;

namespace Robotics.Training.Runner;

/// <summary>The torch device a config asks for, checked before anything is built on it.</summary>
public static class TrainingDevice
{
    public static torch.Device Resolve(string name)
    {
        switch (name)
        {
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                {
                    throw new TrainingSetupException(
                        "device: cuda was requested but CUDA is not available: this build carries the CPU libtorch " +
                        "(libtorch-cpu-linux-x64), or no NVIDIA driver/GPU was found. Use 'device: cpu', or build with " +
                        "the CUDA libtorch on a GPU workstation (see docs/training.md, 'Training on a GPU').");
                }

                return torch.CUDA;
            default:
                throw new TrainingSetupException($"device: '{name}' is not known; expected cpu or cuda");
        }
    }
}

/// <summary>A run that cannot start as configured; the message says what to change.</summary>
public sealed class TrainingSetupException(string message) : Exception(message);
