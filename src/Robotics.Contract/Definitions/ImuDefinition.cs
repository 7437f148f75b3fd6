namespace Robotics.Contract.Definitions;

/// <summary>
/// Where the robot's IMU sits in the MJCF: a site or a body (exactly one), and optionally the names of
/// MJCF gyro and accelerometer sensors that simulate its readings.
/// </summary>
public sealed record ImuDefinition(string? Site, string? Body, string? GyroSensor, string? AccelerometerSensor)
{
    /// <summary>"site 'imu'" or "body 'torso'", for messages.</summary>
    public string Describe() => Site is not null ? $"site '{Site}'" : $"body '{Body}'";
}
