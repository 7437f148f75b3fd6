using Robotics.Contract.Config;

namespace Robotics.Contract.Definitions;

/// <summary>
/// How each episode starts: the MJCF's initial pose (qpos0) plus uniform noise, with chosen joints
/// drawn from their own ranges instead.
/// </summary>
public sealed record InitialStateDefinition(
    double PositionNoise,
    double VelocityNoise,
    IReadOnlyList<JointInitialRange> Joints)
{
    public static readonly InitialStateDefinition None = new(0, 0, []);

    internal static InitialStateDefinition Read(ConfigValue? value)
    {
        if (value is null)
            return None;
        var map = value.AsMap();
        map.AllowOnly("position_noise", "velocity_noise", "joints");
        double positionNoise = NonNegative(map.Optional("position_noise"));
        double velocityNoise = NonNegative(map.Optional("velocity_noise"));

        var joints = new List<JointInitialRange>();
        var jointsValue = map.Optional("joints");
        if (jointsValue is not null)
        {
            var jointsMap = jointsValue.AsMap();
            foreach (string joint in jointsMap.Keys)
            {
                var entry = jointsMap.Required(joint, "").AsMap();
                entry.AllowOnly("position", "velocity");
                var position = entry.Optional("position")?.AsRange();
                var velocity = entry.Optional("velocity")?.AsRange();
                if (position is null && velocity is null)
                    throw new ConfigException(entry.File, entry.Path, $"expected 'position' and/or 'velocity' ranges [min, max] (line {entry.Line})");
                joints.Add(new JointInitialRange(joint, position, velocity, entry.Path));
            }
        }
        return new InitialStateDefinition(positionNoise, velocityNoise, joints);
    }

    private static double NonNegative(ConfigValue? value)
    {
        if (value is null)
            return 0;
        double noise = value.AsFiniteDouble();
        return noise >= 0 ? noise : throw value.Error("expected a noise amplitude >= 0");
    }
}

/// <summary>A joint (any MJCF hinge or slide joint) whose initial position and/or velocity is drawn uniformly from a range.</summary>
public sealed record JointInitialRange(string Joint, (double Min, double Max)? Position, (double Min, double Max)? Velocity, string KeyPath);
