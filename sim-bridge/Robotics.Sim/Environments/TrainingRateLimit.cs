using Robotics.Contract;
using Robotics.Contract.Definitions;

namespace Robotics.Sim.Environments;

/// <summary>
/// The robot's rate-of-change limit applied in training (a task's <c>actions: max_change_per_second</c>): each command
/// moves at most <see cref="CommandRateLimit.MaxStep"/> from the last one, starting, as the runtime's safety layer
/// does, from the command that holds the robot where it is (the joint's position for a position servo, zero
/// otherwise, within the command range). The policy learns within the limit, so on the robot the safety layer has
/// nothing to cut.
/// </summary>
internal sealed class TrainingRateLimit
{
    private readonly float[] maxStep;
    private readonly float[] last;
    private readonly int[] positionJoint;
    private readonly float[] low;
    private readonly float[] high;

    public TrainingRateLimit(RobotContract robot, double maxChangePerSecond, double controlDt)
    {
        int n = robot.Actuators.Count;
        maxStep = new float[n];
        last = new float[n];
        positionJoint = new int[n];
        low = new float[n];
        high = new float[n];
        for (int i = 0; i < n; i++)
        {
            var actuator = robot.Actuators[i];
            maxStep[i] = CommandRateLimit.MaxStep(actuator, maxChangePerSecond, 1 / controlDt);
            positionJoint[i] = actuator.Mode == ActuatorModes.Position ? robot.JointIndex(actuator.Joint) : -1;
            low[i] = (float)actuator.CommandMin;
            high[i] = (float)actuator.CommandMax;
        }
    }

    /// <summary>Starts from the command that holds the robot in <paramref name="state"/>.</summary>
    public void Start(RobotState state)
    {
        for (int i = 0; i < last.Length; i++)
        {
            int joint = positionJoint[i];
            last[i] = CommandRateLimit.HoldCommand(joint >= 0, joint >= 0 ? state.JointPositions[joint] : 0, low[i], high[i]);
        }
    }

    /// <summary>Limits <paramref name="command"/> (robot units, within the command range) in place and remembers it.</summary>
    public void Apply(Span<float> command)
    {
        for (int i = 0; i < command.Length; i++)
        {
            command[i] = CommandRateLimit.Limit(command[i], last[i], maxStep[i]);
            last[i] = command[i];
        }
    }
}
