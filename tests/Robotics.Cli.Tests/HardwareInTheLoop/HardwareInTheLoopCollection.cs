namespace Robotics.Cli.Tests.HardwareInTheLoop;

/// <summary>
/// Tests that drive the emulated robot in real time: one at a time (each needs the CPU to keep its rate),
/// sharing one trained and exported cartpole policy.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HardwareInTheLoopCollection : ICollectionFixture<TrainedCartpolePolicy>
{
    public const string Name = "hardware in the loop";
}
