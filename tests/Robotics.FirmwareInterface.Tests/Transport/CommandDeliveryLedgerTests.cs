using Robotics.FirmwareInterface.Transport;

namespace Robotics.FirmwareInterface.Tests.Transport;

// Each case by hand: lost = (commands written up to the robot's newest command) − (its count since the baseline).
public sealed class CommandDeliveryLedgerTests
{
    private static CommandDeliveryLedger Linked(uint robotCount)
    {
        var ledger = new CommandDeliveryLedger();
        ledger.OnLinked();
        ledger.OnState(robotCount, 0);
        return ledger;
    }

    [Fact]
    public void Commands_still_on_the_line_are_not_counted_as_lost()
    {
        var ledger = Linked(robotCount: 10);
        for (var sequence = 101u; sequence <= 105; sequence++)
            ledger.OnWritten(sequence);

        // The robot has 102 (two commands); 103 to 105 are still on their way.
        ledger.OnState(12, 102);
        Assert.Equal(0, ledger.Lost);

        // It has 105 and has counted three of the five: two were lost.
        ledger.OnState(13, 105);
        Assert.Equal(2, ledger.Lost);
    }

    [Fact]
    public void A_lost_state_hides_nothing_the_next_state_carries_the_whole_difference()
    {
        var ledger = Linked(robotCount: 0);
        for (var sequence = 1u; sequence <= 10; sequence++)
            ledger.OnWritten(sequence);

        ledger.OnState(7, 10);

        Assert.Equal(3, ledger.Lost);
    }

    [Fact]
    public void The_robot_s_count_and_the_host_s_sequence_may_wrap()
    {
        var ledger = Linked(robotCount: 0xFFFF_FFFE);
        ledger.OnWritten(0xFFFF_FFFF);
        ledger.OnWritten(0);
        ledger.OnWritten(1);
        ledger.OnWritten(2);

        ledger.OnState(1, 2); // 3 received across the wrap of the count

        Assert.Equal(1, ledger.Lost);
    }

    [Fact]
    public void A_reconnect_to_a_restarted_robot_keeps_earlier_losses_and_starts_a_new_baseline()
    {
        var ledger = Linked(robotCount: 500);
        ledger.OnWritten(1);
        ledger.OnWritten(2);
        ledger.OnState(501, 2);
        Assert.Equal(1, ledger.Lost);

        ledger.OnLinked();
        ledger.OnState(0, 0); // the robot restarted: its count begins again
        ledger.OnWritten(3);
        ledger.OnWritten(4);
        ledger.OnState(2, 4);

        Assert.Equal(1, ledger.Lost);
    }

    [Fact]
    public void A_state_naming_a_command_this_host_no_longer_remembers_is_not_judged()
    {
        var ledger = Linked(robotCount: 0);
        for (var sequence = 1u; sequence <= CommandDeliveryLedger.Capacity + 10; sequence++)
            ledger.OnWritten(sequence);

        ledger.OnState(1, 1);
        Assert.Equal(0, ledger.Lost);

        ledger.OnState(CommandDeliveryLedger.Capacity + 5, CommandDeliveryLedger.Capacity + 10);
        Assert.Equal(5, ledger.Lost);
    }
}
