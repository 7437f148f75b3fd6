using Robotics.Training.Runner;
using TorchSharp;

namespace Robotics.Training.Tests.Runner;

public sealed class DeviceTests
{
    [Fact]
    public void Cpu_is_always_available()
    {
        Assert.Equal(DeviceType.CPU, TrainingDevice.Resolve("cpu").type);
    }

    [Fact]
    public void Cuda_without_cuda_natives_fails_with_a_message_that_says_what_to_do()
    {
        if (torch.cuda.is_available()) return;    // a CUDA build on a GPU machine: nothing to refuse
        var error = Assert.Throws<TrainingSetupException>(() => TrainingDevice.Resolve("cuda"));
        Assert.Contains("device: cpu", error.Message);
        Assert.Contains("CUDA", error.Message);
    }
}
