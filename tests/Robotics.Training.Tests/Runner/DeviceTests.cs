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

    /// <summary>
    /// Either branch asserts: a build with the CUDA libtorch on a GPU machine must compute on the GPU, every other
    /// build must refuse with a message that says what to do. (Before, the test returned early when CUDA was
    /// available, so on a GPU machine it passed having checked nothing.)
    /// </summary>
    [Fact]
    public void Cuda_computes_on_the_gpu_where_available_and_is_refused_with_a_message_elsewhere()
    {
        if (torch.cuda.is_available())
        {
            var device = TrainingDevice.Resolve("cuda");
            Assert.Equal(DeviceType.CUDA, device.type);
            using var a = torch.tensor(Enumerable.Range(0, 12).Select(i => (float)i).ToArray()).reshape(3, 4);
            using var onGpu = a.to(device);
            using var product = onGpu.matmul(onGpu.t());
            Assert.Equal(DeviceType.CUDA, product.device_type);
            using var back = product.cpu();
            using var expected = a.matmul(a.t());
            Assert.Equal(expected.data<float>().ToArray(), back.data<float>().ToArray());
            return;
        }

        var error = Assert.Throws<TrainingSetupException>(() => TrainingDevice.Resolve("cuda"));
        Assert.Contains("device: cpu", error.Message);
        Assert.Contains("CUDA", error.Message);
    }

    [Fact]
    public void Unknown_device_is_refused_with_the_names_that_are_known()
    {
        var error = Assert.Throws<TrainingSetupException>(() => TrainingDevice.Resolve("tpu"));
        Assert.Contains("expected cpu or cuda", error.Message);
    }
}
