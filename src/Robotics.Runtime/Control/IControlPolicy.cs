namespace Robotics.Runtime.Control;

/// <summary>What the control loop needs from a policy: in-place buffers and one allocation-free evaluation.</summary>
public interface IControlPolicy
{
    /// <summary>Raw observation of one row; written before <see cref="Run"/>.</summary>
    float[] Observation { get; }

    /// <summary>Commands in robot units of one row; valid after <see cref="Run"/>.</summary>
    float[] Actions { get; }

    void Run();
}
