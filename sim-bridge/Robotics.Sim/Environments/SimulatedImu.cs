using Robotics.Contract;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Environments;

/// <summary>
/// Fills the IMU part of a <see cref="RobotState"/> from the physics: orientation of the IMU site or
/// body; angular velocity from the gyro sensor, else the body's own; specific force from the
/// accelerometer sensor, else the reading of an IMU at rest (gravity only).
/// </summary>
internal static class SimulatedImu
{
    public static void Read(MjModel model, MjData data, RobotBinding binding, RobotState state)
    {
        ReadOnlySpan<double> r = binding.ImuSite >= 0
            ? data.SiteXmat.Slice(9 * binding.ImuSite, 9)
            : data.Xmat.Slice(9 * binding.ImuBody, 9);

        if (binding.ImuSite >= 0)
            MatrixToQuaternion(r, state.ImuOrientation);
        else
            data.Xquat.Slice(4 * binding.ImuBody, 4).CopyTo(state.ImuOrientation);

        if (binding.GyroAddress >= 0)
        {
            data.SensorData.Slice(binding.GyroAddress, 3).CopyTo(state.ImuAngularVelocity);
        }
        else
        {
            // cvel's rotational part is the body's angular velocity in world axes; the IMU reports it in its own.
            ReadOnlySpan<double> w = data.Cvel.Slice(6 * binding.ImuBody, 3);
            TransposeTimes(r, w[0], w[1], w[2], state.ImuAngularVelocity);
        }

        if (binding.AccelerometerAddress >= 0)
        {
            data.SensorData.Slice(binding.AccelerometerAddress, 3).CopyTo(state.ImuLinearAcceleration);
        }
        else
        {
            ReadOnlySpan<double> g = model.Gravity;
            TransposeTimes(r, -g[0], -g[1], -g[2], state.ImuLinearAcceleration);
        }
    }

    /// <summary>R^T v for a row-major 3×3 rotation R.</summary>
    private static void TransposeTimes(ReadOnlySpan<double> r, double x, double y, double z, Span<double> into)
    {
        into[0] = r[0] * x + r[3] * y + r[6] * z;
        into[1] = r[1] * x + r[4] * y + r[7] * z;
        into[2] = r[2] * x + r[5] * y + r[8] * z;
    }

    /// <summary>Unit quaternion (w, x, y, z) of a row-major rotation matrix (Shepperd's method).</summary>
    internal static void MatrixToQuaternion(ReadOnlySpan<double> m, Span<double> q)
    {
        double trace = m[0] + m[4] + m[8];
        if (trace > 0)
        {
            double s = 2 * Math.Sqrt(trace + 1);
            q[0] = 0.25 * s;
            q[1] = (m[7] - m[5]) / s;
            q[2] = (m[2] - m[6]) / s;
            q[3] = (m[3] - m[1]) / s;
        }
        else if (m[0] > m[4] && m[0] > m[8])
        {
            double s = 2 * Math.Sqrt(1 + m[0] - m[4] - m[8]);
            q[0] = (m[7] - m[5]) / s;
            q[1] = 0.25 * s;
            q[2] = (m[1] + m[3]) / s;
            q[3] = (m[2] + m[6]) / s;
        }
        else if (m[4] > m[8])
        {
            double s = 2 * Math.Sqrt(1 + m[4] - m[0] - m[8]);
            q[0] = (m[2] - m[6]) / s;
            q[1] = (m[1] + m[3]) / s;
            q[2] = 0.25 * s;
            q[3] = (m[5] + m[7]) / s;
        }
        else
        {
            double s = 2 * Math.Sqrt(1 + m[8] - m[0] - m[4]);
            q[0] = (m[3] - m[1]) / s;
            q[1] = (m[2] + m[6]) / s;
            q[2] = (m[5] + m[7]) / s;
            q[3] = 0.25 * s;
        }
        if (q[0] < 0)
        {
            for (int k = 0; k < 4; k++)
                q[k] = -q[k];
        }
    }
}
