using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Tests.Firmware;

// The same cases as firmware-interface/c/tests/test_main.c, so that the emulator and the C firmware agree.
public sealed class FirmwareRulesTests
{
    private static FirmwareRules Rules() =>
        new(new FirmwareLimits([-20f, -1f], [20f, 2f], [0f, 0.5f], TimeSpan.FromMilliseconds(30)));

    [Fact]
    public void Commands_before_the_handshake_are_ignored()
    {
        var rules = Rules();
        Assert.Equal(FaultCode.NotLinked, rules.OnCommand(CommandMode.Active, [1f, 1f], 0, 0).Code);
        Assert.True(rules.Status.HasFlag(RobotStatusFlags.SafeState));
        Assert.Equal([0f, 0.5f], rules.Targets);
    }

    [Fact]
    public void Out_of_range_targets_are_clamped_and_the_first_one_reported()
    {
        var rules = Rules();
        rules.OnHandshake(0);

        var report = rules.OnCommand(CommandMode.Active, [5f, 3f], 0, 1000);

        Assert.Equal(new RuleReport(FaultCode.CommandClamped, 1), report);
        Assert.Equal([5f, 2f], rules.Targets);
        Assert.True(rules.Status.HasFlag(RobotStatusFlags.Active | RobotStatusFlags.CommandClamped));
        Assert.Equal(FaultCode.None, rules.OnCommand(CommandMode.Active, [1f, 0f], 0, 2000).Code);
        Assert.False(rules.Status.HasFlag(RobotStatusFlags.CommandClamped));
    }

    [Fact]
    public void Wrong_counts_and_non_finite_targets_are_rejected()
    {
        var rules = Rules();
        rules.OnHandshake(0);
        Assert.Equal(FaultCode.CommandRejected, rules.OnCommand(CommandMode.Active, [1f, 1f, 1f], 0, 100).Code);
        Assert.Equal(FaultCode.CommandRejected, rules.OnCommand(CommandMode.Active, [float.NaN, 1f], 0, 200).Code);
        Assert.Equal(FaultCode.CommandRejected, rules.OnCommand(CommandMode.Active, [float.PositiveInfinity, 1f], 0, 300).Code);
        Assert.True(rules.Status.HasFlag(RobotStatusFlags.CommandRejected | RobotStatusFlags.SafeState));
    }

    [Fact]
    public void The_watchdog_puts_the_actuators_in_the_safe_state_once_and_a_command_resumes()
    {
        var rules = Rules();
        rules.OnHandshake(0);
        rules.OnCommand(CommandMode.Active, [10f, 1f], 0, 1000);

        Assert.Equal(FaultCode.None, rules.Tick(31_000).Code);
        Assert.Equal(FaultCode.WatchdogExpired, rules.Tick(31_001).Code);
        Assert.Equal([0f, 0.5f], rules.Targets);
        Assert.True(rules.Status.HasFlag(RobotStatusFlags.WatchdogExpired | RobotStatusFlags.SafeState));
        Assert.Equal(FaultCode.None, rules.Tick(40_000).Code);

        Assert.Equal(FaultCode.None, rules.OnCommand(CommandMode.Active, [10f, 1f], 0, 41_000).Code);
        Assert.False(rules.Status.HasFlag(RobotStatusFlags.WatchdogExpired));
        Assert.True(rules.Status.HasFlag(RobotStatusFlags.Active));
    }

    [Fact]
    public void An_emergency_stop_latches_until_the_next_handshake()
    {
        var rules = Rules();
        rules.OnHandshake(0);
        rules.OnCommand(CommandMode.Active, [10f, 1f], 0, 10);
        rules.OnEmergencyStop();

        Assert.Equal(FaultCode.EmergencyStop, rules.OnCommand(CommandMode.Active, [10f, 1f], 0, 20).Code);
        Assert.Equal(0f, rules.Targets[0]);
        rules.OnHandshake(30);
        Assert.Equal(FaultCode.None, rules.OnCommand(CommandMode.Active, [10f, 1f], 0, 40).Code);
        Assert.Equal(10f, rules.Targets[0]);
    }

    [Fact]
    public void Every_command_received_is_counted_whatever_the_rules_make_of_it()
    {
        var rules = Rules();
        rules.OnCommand(CommandMode.Active, [1f, 1f], 100, 0);
        rules.OnHandshake(0);
        rules.OnCommand(CommandMode.Active, [1f, 1f], 101, 10);
        rules.OnCommand(CommandMode.Active, [1f, 1f, 1f], 102, 20);
        rules.OnEmergencyStop();
        rules.OnCommand(CommandMode.Active, [1f, 1f], 103, 30);

        Assert.Equal(4u, rules.CommandsReceived);
        Assert.Equal(103u, rules.LastCommandSequence);
        rules.OnHandshake(40);
        Assert.Equal(4u, rules.CommandsReceived);
    }
}
