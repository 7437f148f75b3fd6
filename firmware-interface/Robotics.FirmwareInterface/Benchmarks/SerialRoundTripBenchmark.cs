using System.Diagnostics;
using Robotics.Contract;
using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.FirmwareInterface.Benchmarks;

public sealed record SerialRoundTripOptions
{
    public int BaudRate { get; init; } = SerialLink.DefaultBaudRate;
    public double RateHz { get; init; } = 1000;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public int Joints { get; init; } = 2;
    public int Actuators { get; init; } = 1;
}

/// <summary>Command-to-state round trip over a pseudo-terminal, measured by <see cref="SerialRoundTripBenchmark"/>.</summary>
public sealed record SerialRoundTripReport(
    int BaudRate,
    double RateHz,
    double Seconds,
    int Joints,
    int Actuators,
    long CommandsSent,
    long Answered,
    long Superseded,
    long Lost,
    double P50Micros,
    double P99Micros,
    double MaxMicros,
    double WireMicrosAtBaud,
    long BadChecksums,
    long SequenceGaps,
    int ProcessorCount,
    string LoadAverageBefore,
    string LoadAverageAfter,
    string Goal,
    bool MeetsGoal);

/// <summary>
/// The host sends a command every period through <see cref="SerialRobotTransport"/>; a firmware link at the
/// pseudo-terminal's master answers each with a state whose first joint position echoes the command's
/// target, so every state is matched to the command that caused it. A pseudo-terminal moves bytes without
/// the wire's time, so the report adds what a real line at the chosen baud rate would take.
/// </summary>
public static class SerialRoundTripBenchmark
{
    public static SerialRoundTripReport Run(SerialRoundTripOptions options) => Run(options, new EchoRobot(options.Joints, options.Actuators));

    /// <summary>The same measurement against another answering robot (for example the firmware in QEMU); disposes it.</summary>
    public static SerialRoundTripReport Run(SerialRoundTripOptions options, IEchoingRobot echoingRobot)
    {
        var loadBefore = LoadAverage();
        using var robot = echoingRobot;
        using var transport = new SerialRobotTransport(robot.DevicePath, new SerialTransportOptions { BaudRate = options.BaudRate, ControlRateHz = options.RateHz });
        transport.Open(TimeSpan.FromSeconds(5));

        var period = (long)(Stopwatch.Frequency / options.RateHz);
        var total = (long)(options.Duration.TotalSeconds * options.RateHz);
        var sendTicks = new long[total];
        var roundTrips = new List<double>((int)total);
        var state = new RobotState(options.Joints);
        var targets = new float[options.Actuators];
        var lastEcho = -1L;

        var start = Stopwatch.GetTimestamp();
        for (long k = 0; k < total; k++)
        {
            var due = start + k * period;
            while (Stopwatch.GetTimestamp() < due)
                Collect();
            // Targets count commands from 1 (0 is a safe target a robot may report on its own); floats hold
            // integers exactly up to 2^24 (4.6 hours at 1 kHz).
            targets[0] = k + 1;
            sendTicks[k] = Stopwatch.GetTimestamp();
            transport.SendCommand(state.Sequence, targets);
        }

        var drainUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
        while (Stopwatch.GetTimestamp() < drainUntil && lastEcho < total - 1)
            Collect();

        roundTrips.Sort();
        var answered = roundTrips.Count;
        var p50 = Percentile(roundTrips, 0.50);
        var p99 = Percentile(roundTrips, 0.99);
        var wireMicros = WireMicros(options);
        // Lost: commands that never reached the robot, and states the host never received (sequence gaps).
        var lost = total - robot.CommandsReceived + transport.Statistics.SequenceGaps;
        // Superseded: answers that arrived but were overwritten by a newer state before this loop looked.
        var superseded = robot.CommandsReceived - answered;
        var goal = $"p99 round trip plus wire time below one period ({1e6 / options.RateHz:0} µs), no frames lost";
        return new SerialRoundTripReport(options.BaudRate, options.RateHz, options.Duration.TotalSeconds, options.Joints, options.Actuators,
            total, answered, superseded, lost, p50, p99, roundTrips.Count > 0 ? roundTrips[^1] : double.NaN, wireMicros,
            transport.Statistics.BadChecksums, transport.Statistics.SequenceGaps, Environment.ProcessorCount, loadBefore, LoadAverage(), goal,
            lost == 0 && p99 + wireMicros < 1e6 / options.RateHz);

        void Collect()
        {
            if (!transport.TryReadLatestState(state))
                return;
            var echo = (long)state.JointPositions[0] - 1;
            if (echo <= lastEcho || echo >= total)
                return;
            lastEcho = echo;
            roundTrips.Add((state.ReceivedTicks - sendTicks[echo]) * 1e6 / Stopwatch.Frequency);
        }
    }

    /// <summary>Time the command and state frames take on a real line: 10 bits per byte (8N1).</summary>
    private static double WireMicros(SerialRoundTripOptions options)
    {
        var commandBytes = Cobs.MaxEncodedLength(CommandCodec.PayloadSize(options.Actuators) + WireFormat.CrcSize) + 1;
        var stateBytes = Cobs.MaxEncodedLength(StateCodec.PayloadSize(options.Joints, false) + WireFormat.CrcSize) + 1;
        return (commandBytes + stateBytes) * 10 * 1e6 / options.BaudRate;
    }

    // Timings on a busy machine mean little; the report says how busy it was.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>Firmware that answers every command at once with a state echoing the first target.</summary>
    private sealed class EchoRobot : IEchoingRobot, IFrameSink
    {
        private readonly PseudoTerminal terminal = PseudoTerminal.Open();
        private readonly FirmwareLink link;
        private readonly RobotState state;
        private readonly Thread thread;
        private volatile bool stopping;

        public EchoRobot(int joints, int actuators)
        {
            state = new RobotState(joints);
            var identity = new HandshakeMessage(0, true, WireFormat.ProtocolVersion, "echo", 0, joints, actuators, 1000f, 1000f, false);
            var limits = new FirmwareLimits(
                Enumerable.Repeat(-1e9f, actuators).ToArray(), Enumerable.Repeat(1e9f, actuators).ToArray(), new float[actuators], TimeSpan.FromSeconds(1));
            link = new FirmwareLink(identity, new FirmwareRules(limits), this);
            link.CommandApplied += Answer;
            thread = new Thread(Run) { IsBackground = true, Name = "echo robot" };
            thread.Start();
        }

        public string DevicePath => terminal.DevicePath;

        public long CommandsReceived => link.CommandsReceived;

        public void Send(ReadOnlySpan<byte> frame) => terminal.Write(frame);

        public void Dispose()
        {
            stopping = true;
            thread.Join();
            terminal.Dispose();
        }

        private readonly Stopwatch clock = Stopwatch.StartNew();

        private void Run()
        {
            var buffer = new byte[4096];
            while (!stopping)
            {
                var count = terminal.Read(buffer, 5);
                link.Receive(buffer.AsSpan(0, Math.Max(count, 0)), Now());
            }
        }

        private void Answer()
        {
            state.JointPositions[0] = link.Rules.Targets[0];
            link.SendState(state, Now());
        }

        private ulong Now() => (ulong)(clock.Elapsed.Ticks / 10);
    }
}
