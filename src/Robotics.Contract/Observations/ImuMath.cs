namespace Robotics.Contract.Observations;

/// <summary>Orientation arithmetic shared by the observation terms of the robot and the simulator.</summary>
public static class ImuMath
{
    /// <summary>
    /// The world's unit "down" vector (0, 0, -1) expressed in the frame whose orientation is the
    /// quaternion <paramref name="q"/> (w, x, y, z, frame to world): R^T (0, 0, -1).
    /// </summary>
    public static void ProjectedGravity(ReadOnlySpan<double> q, Span<float> into)
    {
        double n = Math.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        if (n == 0 || !double.IsFinite(n))
            n = 1;
        double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
        // Third row of R, negated.
        into[0] = (float)(-2 * (x * z - w * y));
        into[1] = (float)(-2 * (y * z + w * x));
        into[2] = (float)(-(1 - 2 * (x * x + y * y)));
    }

    /// <summary>The unit quaternion of <paramref name="q"/> with w >= 0 (q and -q are the same rotation).</summary>
    public static void CanonicalQuaternion(ReadOnlySpan<double> q, Span<float> into)
    {
        double n = Math.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        if (n == 0 || !double.IsFinite(n))
        {
            into[0] = 1;
            into[1] = into[2] = into[3] = 0;
            return;
        }
        double s = q[0] < 0 ? -1 / n : 1 / n;
        for (int k = 0; k < 4; k++)
            into[k] = (float)(q[k] * s);
    }
}
