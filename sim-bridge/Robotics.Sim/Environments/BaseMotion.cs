using Robotics.Sim.Mujoco;
using Robotics.Sim.Terms;

namespace Robotics.Sim.Environments;

/// <summary>
/// How a robot's base moves, as only the simulation knows it: velocity in the heading frame (forward along the
/// base's yaw, sideways to its left), yaw rate, height and tilt. The same quantities a velocity_tracking reward
/// compares with the command, for logs of sim-to-sim and emulated runs that show what a command achieved.
/// </summary>
public readonly record struct BaseMotion(double Forward, double Sideways, double YawRate, double Height, double Tilt)
{
    /// <summary>The motion of body <paramref name="body"/> (its id in the model), from the last physics step.</summary>
    public static BaseMotion Of(MjModel model, MjData data, int body)
    {
        Span<double> v = stackalloc double[3];
        BodyVelocity.Linear(data, body, model.BodyRootid[body], v);
        ReadOnlySpan<double> r = data.Xmat.Slice(9 * body, 9);
        double yaw = Math.Atan2(r[3], r[0]);
        double c = Math.Cos(yaw), s = Math.Sin(yaw);
        // The body's z axis in world coordinates is the third column of xmat; its angle from vertical is the tilt.
        double tilt = Math.Acos(Math.Clamp(r[8], -1, 1));
        return new BaseMotion(c * v[0] + s * v[1], -s * v[0] + c * v[1], BodyVelocity.YawRate(data, body), data.Xpos[3 * body + 2], tilt);
    }

    /// <summary>The robot's base: the first body after the world.</summary>
    public const int RootBody = 1;
}
