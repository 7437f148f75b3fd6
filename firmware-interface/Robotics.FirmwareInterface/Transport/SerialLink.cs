using Robotics.Runtime.Transport;

namespace Robotics.FirmwareInterface.Transport;

/// <summary>The <c>serial:PATH?baud=N</c> link: the robot's firmware behind a serial device or pseudo-terminal.</summary>
public static class SerialLink
{
    public const int DefaultBaudRate = 921_600;

    /// <summary>Adds <c>serial</c> to <paramref name="catalog"/>.</summary>
    public static RobotLinkCatalog AddSerial(this RobotLinkCatalog catalog) =>
        catalog.Register("serial", "serial:/dev/ttyACM0?baud=921600 (the robot's firmware on a serial device)", Make);

    private static RobotLinkMade Make(RobotLinkAddress address, RobotLinkRequest request)
    {
        address.RequireOnly("baud");
        if (address.Target.Length == 0)
            throw new RobotLinkException($"link '{address.Text}' names no device; write serial:/dev/ttyACM0?baud=921600");
        var transport = new SerialRobotTransport(address.Target, new SerialTransportOptions
        {
            BaudRate = address.PositiveInteger("baud", DefaultBaudRate),
            ExpectedContractHash = request.Policy.Robot.ShortHash,
            ControlRateHz = request.ControlRateHz,
        });
        return new RobotLinkMade(transport);
    }
}
