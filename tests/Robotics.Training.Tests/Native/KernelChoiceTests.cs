using System.Runtime.InteropServices;
using Robotics.Training.Tensors;

namespace Robotics.Training.Tests.Native;

/// <summary>The CLI asks libtorch for its AVX2 kernels (KernelChoice): the variable must reach the process environment.</summary>
public sealed class KernelChoiceTests
{
    [Fact]
    public void The_choice_reaches_the_environment_libtorch_reads_and_a_value_set_before_is_kept()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            Assert.False(KernelChoice.PreferAvx2());
            return;
        }

        string? before = KernelChoice.Current();
        Assert.True(KernelChoice.PreferAvx2());
        Assert.True(KernelChoice.PreferAvx2());
        // Whatever was set before the call (a user's choice) stays; otherwise avx2.
        Assert.Equal(before ?? "avx2", KernelChoice.Current());
    }
}
