using System.Globalization;

namespace Robotics.Contract;

/// <summary>Names each difference between two robot contracts so that a refusal can say what to fix.</summary>
internal static class ContractDiff
{
    public static IReadOnlyList<string> Between(RobotContract a, RobotContract b)
    {
        var d = new List<string>();
        if (a.Robot != b.Robot) d.Add($"robot: '{a.Robot}' vs '{b.Robot}'");
        if (a.ControlRateHz != b.ControlRateHz) d.Add($"control_rate_hz: {F(a.ControlRateHz)} vs {F(b.ControlRateHz)}");
        if (a.PhysicsDecimation != b.PhysicsDecimation) d.Add($"physics_decimation: {a.PhysicsDecimation} vs {b.PhysicsDecimation}");
        if (a.HasImu != b.HasImu) d.Add($"has_imu: {a.HasImu} vs {b.HasImu}");
        Compare(d, "joints", a.Joints, b.Joints, j => j.Name);
        Compare(d, "actuators", a.Actuators, b.Actuators, x => x.Name);
        return d;
    }

    private static void Compare<T>(List<string> d, string what, IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, string> name)
        where T : notnull
    {
        if (a.Count != b.Count)
            d.Add($"{what}: {a.Count} vs {b.Count} ([{string.Join(", ", a.Select(name))}] vs [{string.Join(", ", b.Select(name))}])");
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (!a[i].Equals(b[i])) d.Add($"{what}[{i}]: {a[i]} vs {b[i]}");
        }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
