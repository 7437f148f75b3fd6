using System.Globalization;
using Robotics.Runtime.Control;
using Robotics.Runtime.Observation;
using Robotics.Runtime.Telemetry;

namespace Robotics.Runtime.Tests.Telemetry;

public sealed class TelemetryWriterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("robotics-telemetry-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_run_writes_one_row_per_driven_tick_with_the_commands_sent()
    {
        var path = Path.Combine(directory, "telemetry.csv");
        var clock = new FakeClock();
        var contract = TestRobot.Policy();
        var transport = new FakeTransport(contract.Robot, clock);
        var policy = new FakePolicy(6, 2);
        policy.Output[1] = 1.5f;
        var options = new ControlLoopOptions { RateHz = 100, Duration = TimeSpan.FromSeconds(0.2), Safety = new() { RampDown = TimeSpan.FromSeconds(0.05) } };
        RunSummary summary;
        using (var telemetry = new TelemetryWriter(path, ["hip_motor", "knee_motor"]))
        {
            summary = new ControlLoop(transport, policy, contract, new ContractObservationSource(contract), options, clock, telemetry).Run();
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("tick,time_s,period_error_us,inference_us,work_us,state_age_us,state_seq,phase,safety,cmd_hip_motor,cmd_knee_motor", lines[0]);
        Assert.Equal(20 + 5, lines.Length - 1); // 0.2 s at 100 Hz, then 0.05 s of ramp
        var first = lines[1].Split(',');
        Assert.Equal("running", first[7]);
        Assert.Equal(1f, float.Parse(first[10], CultureInfo.InvariantCulture)); // rate-limited from the safe 0
        Assert.Equal(1.5f, float.Parse(lines[2].Split(',')[10], CultureInfo.InvariantCulture));
        Assert.Equal("2", first[8]); // SafetyFlags.RateLimited
        var last = lines[^1].Split(',');
        Assert.Equal("ramping_down", last[7]);
        Assert.Equal(0f, float.Parse(last[10], CultureInfo.InvariantCulture));
        Assert.Equal(path, summary.TelemetryFile);
        Assert.Equal(0, summary.TelemetryDropped);
    }

    [Fact]
    public void Summary_text_names_the_fault_and_its_detail()
    {
        var clock = new FakeClock();
        var contract = TestRobot.Policy();
        var transport = new FakeTransport(contract.Robot, clock);
        var policy = new FakePolicy(6, 2);
        policy.Output[0] = float.NaN;

        var summary = new ControlLoop(transport, policy, contract, new ContractObservationSource(contract),
            new ControlLoopOptions { RateHz = 50 }, clock).Run();

        Assert.Equal("fault", summary.StopReason);
        Assert.Equal("non_finite_action", summary.Fault);
        Assert.Contains("fault non_finite_action: the policy produced NaN or Inf", summary.ToText());
    }
}
