using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Terms;

/// <summary>
/// Velocities of a body from MuJoCo's cvel, which holds each body's spatial velocity (angular, then
/// linear) in world axes at the centre of mass of its kinematic tree (subtree_com of body_rootid).
/// Like every derived quantity after mj_step, they are those of the last physics step's start.
/// </summary>
internal static class BodyVelocity
{
    /// <summary>Linear velocity of the body frame's origin, world axes, m/s.</summary>
    public static void Linear(MjData data, int body, int root, Span<double> into)
    {
        ReadOnlySpan<double> cvel = data.Cvel.Slice(6 * body, 6);
        ReadOnlySpan<double> origin = data.Xpos.Slice(3 * body, 3);
        ReadOnlySpan<double> com = data.SubtreeCom.Slice(3 * root, 3);
        double rx = origin[0] - com[0], ry = origin[1] - com[1], rz = origin[2] - com[2];
        into[0] = cvel[3] + cvel[1] * rz - cvel[2] * ry;
        into[1] = cvel[4] + cvel[2] * rx - cvel[0] * rz;
        into[2] = cvel[5] + cvel[0] * ry - cvel[1] * rx;
    }

    /// <summary>Angular velocity about the world z axis, rad/s.</summary>
    public static double YawRate(MjData data, int body) => data.Cvel[6 * body + 2];
}
