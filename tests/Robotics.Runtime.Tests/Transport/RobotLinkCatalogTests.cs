using Robotics.Runtime.Transport;

namespace Robotics.Runtime.Tests.Transport;

public sealed class RobotLinkCatalogTests
{
    [Fact]
    public void A_serial_link_string_splits_into_scheme_device_and_parameters()
    {
        var address = RobotLinkAddress.Parse("serial:/dev/ttyACM0?baud=921600");

        Assert.Equal("serial", address.Scheme);
        Assert.Equal("/dev/ttyACM0", address.Target);
        Assert.Equal(921_600, address.PositiveInteger("baud", 1));
    }

    [Fact]
    public void An_unknown_scheme_is_refused_naming_the_known_links()
    {
        var catalog = RobotLinkCatalog.WithLoopback();

        var error = Assert.Throws<RobotLinkException>(() => catalog.Make("can:can0", new RobotLinkRequest(TestRobot.Policy(), 50)));

        Assert.Contains("can:can0", error.Message);
        Assert.Contains("loopback", error.Message);
    }

    [Fact]
    public void A_baud_rate_that_is_not_a_positive_number_is_refused()
    {
        var address = RobotLinkAddress.Parse("serial:/dev/ttyS0?baud=fast");

        var error = Assert.Throws<RobotLinkException>(() => address.PositiveInteger("baud", 1));

        Assert.Contains("baud=fast", error.Message);
    }

    [Fact]
    public void An_unknown_parameter_is_refused_naming_the_known_ones()
    {
        var error = Assert.Throws<RobotLinkException>(() => RobotLinkAddress.Parse("serial:/dev/ttyS0?bauds=9600").RequireOnly("baud"));

        Assert.Contains("bauds", error.Message);
        Assert.Contains("baud", error.Message);
    }

    [Fact]
    public void Loopback_makes_a_stand_in_robot_that_answers_its_handshake()
    {
        var made = RobotLinkCatalog.WithLoopback().Make("loopback", new RobotLinkRequest(TestRobot.Policy(), 50));
        using var link = made.Transport;

        Assert.Equal(TestRobot.Policy().Robot.ShortHash, link.Open(TimeSpan.FromSeconds(1)).ContractHash);
    }
}
