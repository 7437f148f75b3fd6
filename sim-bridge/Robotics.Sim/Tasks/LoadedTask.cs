using Robotics.Contract;
using Robotics.Contract.Definitions;
using Robotics.Contract.Observations;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Randomization;
using Robotics.Sim.Terms;
using YamlDotNet.RepresentationModel;

namespace Robotics.Sim.Tasks;

/// <summary>
/// A task ready to simulate: its robot compiled and checked, every term built once against the model
/// (so a bad file fails here, not in the middle of training), and the policy contract derived from it.
/// </summary>
public sealed class LoadedTask
{
    private LoadedTask(LoadedRobot robot, TaskDefinition task, TermRegistry terms)
    {
        Robot = robot;
        TaskDefinition = task;
        Terms = terms;

        var model = robot.NominalModel;
        var built = TaskTerms.Create(this, model);
        var (offset, scale) = task.Actions.Resolve(robot.Definition);
        PolicyContract = new PolicyContract(
            robot.Contract, task.Name, built.Observations.Select(o => o.Spec).ToArray(), offset, scale)
        {
            Commands = task.Commands.Select(c => c.ToSpec()).ToArray(),
            ActionMaxChangePerSecond = task.Actions.MaxChangePerSecond,
        };
        ObservationBuilder = ObservationBuilder.ForSimulation(PolicyContract);
        CriticObservations = CheckCriticObservations(task, built.CriticObservations);
        Randomization = RandomizationConfig.Parse(task.Randomization ?? new YamlMappingNode(), task.File);
        // Names the model lacks are the task file's mistake: report them here, with the file, not when an environment is made.
        Randomization.Validate(model, task.File);
        InitialJoints = task.InitialState.Joints.Select(j => ResolveInitial(j, model, task, robot.Definition)).ToArray();
        var commandJoints = task.Commands.Select((c, i) => c.Joints
            .Select(name => RobotBinding.RequireOneDofJoint(model, name, task.File, $"commands[{i}].joints", robot.MjcfPath))
            .ToArray()).ToArray();
        CommandJointAddresses = commandJoints.Select(ids => ids.Select(id => model.JntQposadr[id]).ToArray()).ToArray();
        CommandJointDofAddresses = commandJoints.Select(ids => ids.Select(id => model.JntDofadr[id]).ToArray()).ToArray();
    }

    public string Name => TaskDefinition.Name;
    public LoadedRobot Robot { get; }
    public RobotDefinition RobotDefinition => Robot.Definition;
    public TaskDefinition TaskDefinition { get; }
    public string MjcfPath => Robot.MjcfPath;
    public RobotContract RobotContract => Robot.Contract;
    public PolicyContract PolicyContract { get; }

    /// <summary>
    /// The blocks only the value function sees, after the policy's observations (the task's <c>critic_observations</c>;
    /// empty without them). Not part of <see cref="PolicyContract"/>.
    /// </summary>
    public IReadOnlyList<ObservationTermSpec> CriticObservations { get; }

    public int CriticObservationSize => CriticObservations.Sum(o => o.Size);

    /// <summary>The randomization written in the task file (all off when it has none).</summary>
    public RandomizationConfig Randomization { get; }

    public TermRegistry Terms { get; }

    /// <summary>The compiled MJCF. Shared: never modify it; environments work on clones.</summary>
    public MjModel NominalModel => Robot.NominalModel;

    public RobotBinding Binding => Robot.Binding;

    /// <summary>Seconds per control step.</summary>
    public double ControlDt => RobotDefinition.ControlDt;

    /// <summary>Builds the observation blocks a robot could supply; shared by the environments (it holds no per-call state).</summary>
    internal ObservationBuilder ObservationBuilder { get; }

    internal InitialJoint[] InitialJoints { get; }

    /// <summary>For each command, the qpos addresses its components are written to at reset (may be empty).</summary>
    internal int[][] CommandJointAddresses { get; }

    /// <summary>For each command, the qvel addresses of those joints (zeroed, so a marker stays put).</summary>
    internal int[][] CommandJointDofAddresses { get; }

    /// <summary>Builds the task from parsed definitions; throws <see cref="ConfigException"/> for any name the MJCF lacks or term problem.</summary>
    public static LoadedTask Create(RobotDefinition robot, TaskDefinition task, TermRegistry? terms = null) =>
        Create(LoadedRobot.Create(robot), task, terms);

    public static LoadedTask Create(LoadedRobot robot, TaskDefinition task, TermRegistry? terms = null)
    {
        ArgumentNullException.ThrowIfNull(robot);
        ArgumentNullException.ThrowIfNull(task);
        return new LoadedTask(robot, task, terms ?? TermRegistry.Default);
    }

    /// <summary>
    /// The critic sees the policy's observations already; its own list is for what only a simulator knows, so a term
    /// a robot supplies there is a mistake (it would also be built without the policy's noise).
    /// </summary>
    private static ObservationTermSpec[] CheckCriticObservations(TaskDefinition task, IObservationTerm[] terms)
    {
        for (int i = 0; i < terms.Length; i++)
        {
            string kind = terms[i].Spec.Kind;
            if (!ObservationKinds.SimulationOnly.Contains(kind))
                throw task.CriticObservations[i].Error("term",
                    $"'{kind}' is a term the robot supplies, and the critic already sees the policy's observations; critic_observations takes "
                    + $"terms only a simulator knows: {string.Join(", ", ObservationKinds.SimulationOnly)}");
        }
        return terms.Select(t => t.Spec).ToArray();
    }

    private static InitialJoint ResolveInitial(JointInitialRange range, MjModel model, TaskDefinition task, RobotDefinition robot)
    {
        int id = RobotBinding.RequireOneDofJoint(model, range.Joint, task.File, range.KeyPath, robot.MjcfPath);
        return new InitialJoint(model.JntQposadr[id], model.JntDofadr[id], range.Position, range.Velocity);
    }

    internal readonly record struct InitialJoint(int QposAddress, int DofAddress, (double Min, double Max)? Position, (double Min, double Max)? Velocity);
}
