using Robotics.Training.Monitoring;

namespace Robotics.Training.Tests.Monitoring;

public sealed class TrackingPlotTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tracking-plot-").FullName;

    [Fact]
    public void A_telemetry_file_and_a_truth_log_make_a_png()
    {
        var telemetry = Write("telemetry.csv", "tick,time_s,operator_velocity_forward,operator_velocity_sideways,operator_velocity_yaw_rate",
            Enumerable.Range(1, 100).Select(i => $"{i},{i * 0.02},{(i > 50 ? 0.4 : 0)},0,0"));
        var truth = Write("truth.csv", "time_s,forward_mps,sideways_mps,yaw_rate_radps,height_m,tilt_rad",
            Enumerable.Range(0, 120).Select(i => $"{5 + i * 0.02},{(i > 55 ? 0.35 : 0)},0.01,0,0.3,0.05"));
        var png = Path.Combine(folder, "tracking.png");

        TrackingPlot.Draw(telemetry, truth, png);

        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"{bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    [Fact]
    public void Telemetry_without_a_velocity_command_says_what_it_lacks()
    {
        var telemetry = Write("telemetry.csv", "tick,time_s,cmd_hinge", ["1,0.02,0.5"]);
        var truth = Write("truth.csv", "time_s,forward_mps,sideways_mps,yaw_rate_radps,height_m,tilt_rad", ["0,0,0,0,0.3,0"]);

        var error = Assert.Throws<InvalidDataException>(() => TrackingPlot.Draw(telemetry, truth, Path.Combine(folder, "x.png")));

        Assert.Contains("has no operator_*_forward column", error.Message);
    }

    private string Write(string name, string header, IEnumerable<string> rows)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllLines(path, [header, .. rows]);
        return path;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
