using Robotics.Runtime.Control;

namespace Robotics.Runtime.Tests;

/// <summary>A policy that outputs whatever the test puts in <see cref="Output"/>.</summary>
internal sealed class FakePolicy(int observations, int actions) : IControlPolicy
{
    public float[] Observation { get; } = new float[observations];
    public float[] Actions { get; } = new float[actions];
    public float[] Output { get; } = new float[actions];
    public int Runs { get; private set; }

    /// <summary>When set, <see cref="Run"/> throws it.</summary>
    public Exception? Failure { get; set; }

    public void Run()
    {
        if (Failure is not null) throw Failure;
        Runs++;
        Output.CopyTo(Actions, 0);
    }
}
