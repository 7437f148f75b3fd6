using Robotics.Training.Tensors;

namespace Robotics.Training.Tests.Native;

/// <summary>The trainer fixes glibc's malloc thresholds (HostAllocator): the call must bind and glibc must accept the values.</summary>
public sealed class HostAllocatorTests
{
    [Fact]
    public void Glibc_takes_both_thresholds_and_a_second_call_changes_nothing()
    {
        // False would mean the binding failed or glibc refused a value (above its 32 MiB mmap limit, say).
        Assert.True(HostAllocator.KeepFreedMemory());
        Assert.True(HostAllocator.KeepFreedMemory());
    }
}
