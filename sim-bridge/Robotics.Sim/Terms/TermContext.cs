using Robotics.Contract;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Terms;

/// <summary>
/// What a term may read about one environment at one control step: the physics, the robot state as a
/// robot would report it, the episode's command and the actions. One per environment, reused every step.
/// </summary>
public sealed class TermContext
{
    private readonly double[] command;
    private readonly float[] action;
    private readonly double[] normalizedAction;
    private readonly double[] previousNormalizedAction;

    internal TermContext(MjModel model, MjData data, RobotBinding binding, double controlDt, int commandSize)
    {
        Model = model;
        Data = data;
        Binding = binding;
        ControlDt = controlDt;
        int actions = binding.Robot.Actuators.Count;
        State = new RobotState(binding.Robot.Joints.Count);
        command = new double[commandSize];
        action = new float[actions];
        normalizedAction = new double[actions];
        previousNormalizedAction = new double[actions];
    }

    public MjModel Model { get; }
    public MjData Data { get; }
    public RobotBinding Binding { get; }

    /// <summary>The state in contract order, filled from the physics after every control step.</summary>
    public RobotState State { get; }

    /// <summary>Seconds per control step.</summary>
    public double ControlDt { get; }

    /// <summary>The episode's action latency in control periods, as domain randomization drew it (0 without).</summary>
    public int ActionLatencySteps { get; internal set; }

    /// <summary>Control steps taken in this episode (1 after the first step).</summary>
    public int EpisodeStep { get; internal set; }

    /// <summary>The episode's commands, concatenated in task order.</summary>
    public ReadOnlySpan<double> Command => command;

    /// <summary>The command applied at this step, robot units, clamped to the actuator ranges.</summary>
    public ReadOnlySpan<float> Action => action;

    /// <summary>This step's action normalized: (command - offset) / scale.</summary>
    public ReadOnlySpan<double> NormalizedAction => normalizedAction;

    /// <summary>The previous step's normalized action (zeros at the start of an episode).</summary>
    public ReadOnlySpan<double> PreviousNormalizedAction => previousNormalizedAction;

    internal double[] CommandBuffer => command;
    internal float[] ActionBuffer => action;
    internal double[] NormalizedActionBuffer => normalizedAction;
    internal double[] PreviousNormalizedActionBuffer => previousNormalizedAction;
}
