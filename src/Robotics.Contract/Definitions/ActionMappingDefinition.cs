using Robotics.Contract.Config;

namespace Robotics.Contract.Definitions;

/// <summary>
/// How a normalized action a in [-1, 1] becomes a command: command = offset + scale * a. By default the
/// offset is the centre of each actuator's command range and the scale its half-width, so [-1, 1]
/// spans the range. Each of offset and scale may be one number for all actuators, a list in actuator
/// order, or a mapping from actuator name to value (unnamed actuators keep the default).
/// <c>max_change_per_second</c>, when given, bounds how fast each command may change in training, by the rule the
/// runtime's safety layer applies on the robot (<see cref="CommandRateLimit"/>).
/// </summary>
public sealed class ActionMappingDefinition
{
    private ActionMappingDefinition(ConfigValue? offset, ConfigValue? scale, double? maxChangePerSecond)
    {
        Offset = offset;
        Scale = scale;
        MaxChangePerSecond = maxChangePerSecond;
    }

    public static readonly ActionMappingDefinition Default = new(null, null, null);

    public ConfigValue? Offset { get; }
    public ConfigValue? Scale { get; }

    /// <summary>
    /// The largest change of each command per second, as a fraction of the actuator's command range, that training
    /// lets through (the runtime's <c>--max-change</c>); null for no limit.
    /// </summary>
    public double? MaxChangePerSecond { get; }

    /// <summary>The offset and scale per actuator of <paramref name="robot"/>.</summary>
    public (double[] Offset, double[] Scale) Resolve(RobotDefinition robot)
    {
        int n = robot.Actuators.Count;
        var offset = new double[n];
        var scale = new double[n];
        for (int i = 0; i < n; i++)
        {
            var a = robot.Actuators[i];
            offset[i] = 0.5 * (a.CommandMin + a.CommandMax);
            scale[i] = 0.5 * (a.CommandMax - a.CommandMin);
        }
        Override(Offset, offset, robot, mustBePositive: false);
        Override(Scale, scale, robot, mustBePositive: true);
        return (offset, scale);
    }

    internal static ActionMappingDefinition Read(ConfigValue? value)
    {
        if (value is null)
            return Default;
        var map = value.AsMap();
        map.AllowOnly("offset", "scale", "max_change_per_second");
        return new ActionMappingDefinition(map.Optional("offset"), map.Optional("scale"), map.Optional("max_change_per_second")?.AsPositiveDouble());
    }

    private static void Override(ConfigValue? value, double[] into, RobotDefinition robot, bool mustBePositive)
    {
        if (value is null)
            return;
        if (value.IsScalar)
        {
            Array.Fill(into, Checked(value, mustBePositive));
        }
        else if (value.IsList)
        {
            var items = value.AsList();
            if (items.Count != into.Length)
                throw value.Error($"expected {into.Length} values, one per actuator ({string.Join(", ", robot.Actuators.Select(a => a.Name))}), found {items.Count}");
            for (int i = 0; i < items.Count; i++)
                into[i] = Checked(items[i], mustBePositive);
        }
        else
        {
            var map = value.AsMap();
            foreach (string name in map.Keys)
            {
                int index = robot.ActuatorIndex(name);
                var item = map.Required(name, "");
                if (index < 0)
                    throw item.Error($"unknown actuator '{name}'; robot '{robot.Name}' has: {string.Join(", ", robot.Actuators.Select(a => a.Name))}");
                into[index] = Checked(item, mustBePositive);
            }
        }
    }

    private static double Checked(ConfigValue value, bool mustBePositive) =>
        mustBePositive ? value.AsPositiveDouble() : value.AsFiniteDouble();
}
