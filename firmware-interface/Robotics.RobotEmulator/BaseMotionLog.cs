using System.Globalization;
using System.Text;
using Robotics.Sim.Environments;

namespace Robotics.RobotEmulator;

/// <summary>
/// A CSV of what the simulated robot's base actually did, one row per control period: the ground truth a real
/// robot cannot report (its velocity over the ground), written beside the runtime's telemetry so that a plot can
/// put the commanded velocity next to the achieved one. Columns: time_s (the simulated robot's clock), forward_mps,
/// sideways_mps, yaw_rate_radps, height_m, tilt_rad. Written on the simulation's thread, not the control loop's.
/// </summary>
public sealed class BaseMotionLog : IDisposable
{
    private readonly StreamWriter file;
    private readonly SimEnvironment sim;

    public BaseMotionLog(string path, SimEnvironment sim)
    {
        this.sim = sim;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        file.WriteLine("time_s,forward_mps,sideways_mps,yaw_rate_radps,height_m,tilt_rad");
        Path = path;
    }

    public string Path { get; }

    public void Record(double timeSeconds)
    {
        var m = BaseMotion.Of(sim.Model, sim.Data, BaseMotion.RootBody);
        file.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{timeSeconds:F4},{m.Forward:F4},{m.Sideways:F4},{m.YawRate:F4},{m.Height:F4},{m.Tilt:F4}"));
    }

    public void Dispose() => file.Dispose();
}
