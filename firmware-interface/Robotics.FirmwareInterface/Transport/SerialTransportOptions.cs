namespace Robotics.FirmwareInterface.Transport;

/// <summary>Settings of a <see cref="SerialRobotTransport"/>; the defaults suit a USB-serial robot at <see cref="SerialLink.DefaultBaudRate"/>.</summary>
public sealed record SerialTransportOptions
{
    /// <summary>Line speed; must match the firmware's.</summary>
    public int BaudRate { get; init; } = SerialLink.DefaultBaudRate;

    /// <summary>Name this host gives in its handshake request.</summary>
    public string HostName { get; init; } = "robotics-runtime";

    /// <summary>Contract hash the host expects (sent in the request for the robot's information; 0 when unknown).</summary>
    public ulong ExpectedContractHash { get; init; }

    /// <summary>Rate at which the host will send commands, Hz (sent in the request).</summary>
    public double ControlRateHz { get; init; }

    /// <summary>How often a handshake request is repeated while waiting for the answer.</summary>
    public TimeSpan HandshakeRetryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a vanished device is looked for again.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
