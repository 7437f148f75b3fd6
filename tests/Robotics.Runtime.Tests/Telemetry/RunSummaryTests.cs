using System.Globalization;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Tests.Telemetry;

public sealed class RunSummaryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-summary-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_summary_reports_frames_lost_in_both_directions()
    {
        var clock = new FakeClock();
        var contract = TestRobot.Policy();
        var transport = new FakeTransport(contract.Robot, clock);
        transport.Statistics.SequenceGaps = 43;
        transport.Statistics.SendFailures = 2;
        transport.Statistics.CommandsNotReceived = 5;

        var summary = new ControlLoop(transport, new FakePolicy(6, 2), contract, new ContractObservationSource(contract),
            new ControlLoopOptions { RateHz = 50, Duration = TimeSpan.FromSeconds(0.1) }, clock).Run();

        Assert.Equal(43, summary.FramesLostFromRobot);
        Assert.Equal(2, summary.FramesLostToRobot);
        Assert.Equal(5, summary.FramesLostToRobotInTransit);
        Assert.Contains("frames lost        43 from the robot (sequence gaps), 2 to the robot (not written), 5 to the robot (written but not received)", summary.ToText());
        Assert.Contains("\"FramesLostToRobotInTransit\": 5", RunSummaryJson.Serialize(summary));
    }

    [Fact]
    public void The_summary_gives_the_range_of_each_joint_among_the_states_read()
    {
        var clock = new FakeClock();
        var contract = TestRobot.Policy();
        var transport = new FakeTransport(contract.Robot, clock);
        transport.State.JointPositions[0] = -0.25;
        transport.State.JointPositions[1] = 0.5;
        transport.State.JointVelocities[1] = -2;

        var summary = new ControlLoop(transport, new FakePolicy(6, 2), contract, new ContractObservationSource(contract),
            new ControlLoopOptions { RateHz = 50, Duration = TimeSpan.FromSeconds(0.1) }, clock).Run();

        var hip = summary.JointRanges[0];
        var knee = summary.JointRanges[1];
        Assert.Equal(contract.Robot.Joints[0].Name, hip.Joint);
        Assert.Equal(-0.25, hip.PositionMin);
        Assert.Equal(0.25, hip.MaxAbsPosition);
        Assert.Equal(0.5, knee.PositionMax);
        Assert.Equal(2, knee.MaxAbsVelocity);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"joint {knee.Joint,-12} position 0.500 .. 0.500"), summary.ToText());
    }

    [Fact]
    public void Telemetry_rows_carry_the_robot_state_as_received_beside_the_command()
    {
        var path = Path.Combine(directory, "telemetry.csv");
        var clock = new FakeClock();
        var contract = TestRobot.Policy();
        var transport = new FakeTransport(contract.Robot, clock);
        transport.State.JointPositions[1] = 0.75;
        using (var telemetry = new TelemetryWriter(path, TelemetryColumns.For(contract)))
        {
            new ControlLoop(transport, new FakePolicy(6, 2), contract, new ContractObservationSource(contract),
                new ControlLoopOptions { RateHz = 50, Duration = TimeSpan.FromSeconds(0.1) }, clock, telemetry).Run();
        }

        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var knee = Array.IndexOf(header, $"q_{contract.Robot.Joints[1].Name}");
        Assert.True(knee > 0, lines[0]);
        Assert.Contains($"qd_{contract.Robot.Joints[0].Name}", header);
        Assert.Equal(0.75, double.Parse(lines[1].Split(',')[knee], CultureInfo.InvariantCulture));
    }
}
