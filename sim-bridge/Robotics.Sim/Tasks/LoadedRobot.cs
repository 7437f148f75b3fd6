using Robotics.Contract;
using Robotics.Contract.Definitions;
using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Tasks;

/// <summary>A robot definition with its MJCF compiled and checked against it.</summary>
public sealed class LoadedRobot
{
    private LoadedRobot(RobotDefinition definition, MjModel model)
    {
        Definition = definition;
        NominalModel = model;
        Binding = RobotBinding.Create(definition, model);
        Contract = definition.ToContract();
    }

    public RobotDefinition Definition { get; }
    public string MjcfPath => Definition.MjcfPath;
    public RobotContract Contract { get; }
    public RobotBinding Binding { get; }

    /// <summary>The model as compiled from the MJCF. Shared: never modify it; environments work on clones.</summary>
    public MjModel NominalModel { get; }

    /// <summary>Compiles the definition's MJCF and checks every joint, actuator and IMU name against it.</summary>
    public static LoadedRobot Create(RobotDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        MjModel model;
        try
        {
            model = MjModel.LoadXml(definition.MjcfPath);
        }
        catch (MujocoException e)
        {
            throw new ConfigException(definition.File, "mjcf", e.Message);
        }
        return new LoadedRobot(definition, model);
    }
}
