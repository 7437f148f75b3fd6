using Robotics.Contract;
using Robotics.FirmwareInterface.Benchmarks;
using Robotics.FirmwareInterface.Firmware;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;

namespace Robotics.RobotEmulator.Firmware;

/// <summary>
/// The firmware in QEMU for <c>robotics bench serial --firmware</c>: an image for the robot with limits wide enough
/// for the benchmark's counting targets, and on its hardware bus, instead of a simulation, sensors that answer each
/// new actuator target at once with it as the first joint position. A command's round trip so crosses both UARTs,
/// the firmware's rules and its state frame, as on a robot whose sensors answer within microseconds.
/// </summary>
public sealed class FirmwareEchoRobot : IEchoingRobot
{
    private readonly QemuBoard board;
    private readonly SerialDevice bus;
    private readonly Thread thread;
    private readonly RobotState state;
    private readonly float[] targets;
    private readonly FrameDecoder decoder = new();
    private readonly ManualResetEventSlim busUp = new();
    private volatile bool stopping;
    private long commandsReceived;

    public FirmwareEchoRobot(RobotContract contract, string target)
    {
        var actuators = contract.Actuators.Count;
        var limits = new FirmwareLimits(Enumerable.Repeat(-1e9f, actuators).ToArray(), Enumerable.Repeat(1e9f, actuators).ToArray(), new float[actuators], TimeSpan.FromSeconds(1));
        board = QemuBoard.Start(target, FirmwareImage.Build(contract, target, limits: limits));
        state = new RobotState(contract.Joints.Count) { HasImu = contract.HasImu };
        targets = new float[actuators];
        try
        {
            bus = SerialDevice.Open(board.BusDevicePath, SerialLink.DefaultBaudRate);
        }
        catch
        {
            board.Dispose();
            throw;
        }

        thread = new Thread(Run) { IsBackground = true, Name = "firmware echo bus", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        // QEMU notices a newly opened pseudo-terminal about once a second: time nothing before the bus is up.
        if (!busUp.Wait(TimeSpan.FromSeconds(10)))
        {
            Dispose();
            throw new IOException($"the firmware in QEMU did not answer on its hardware bus ({board.BusDevicePath}) within 10 s");
        }
    }

    public string DevicePath => board.HostDevicePath;

    public long CommandsReceived => Interlocked.Read(ref commandsReceived);

    public void Dispose()
    {
        if (stopping)
            return;
        board.Dispose();
        stopping = true;
        thread.Join();
        bus.Dispose();
        busUp.Dispose();
    }

    private void Run()
    {
        var input = new byte[1024];
        var payload = new byte[WireFormat.MaxPayloadSize];
        var frame = new byte[WireFormat.MaxFrameSize];
        var echoed = 0f;
        uint sequence = 0;
        var probe = System.Diagnostics.Stopwatch.StartNew();
        while (!stopping)
        {
            // Until the firmware has answered, a sensor reading every 100 ms asks it for its targets.
            if (!busUp.IsSet && probe.ElapsedMilliseconds >= 100)
            {
                probe.Restart();
                Send(0f);
            }

            var count = bus.Read(input, 5);
            if (count < 0)
                return;
            ReadOnlySpan<byte> bytes = input.AsSpan(0, count);
            while (decoder.TryReadFrame(ref bytes, out var received))
            {
                busUp.Set();
                // The firmware repeats its targets every tick and sends its safe target (0) on its own: only a new
                // target is a command to answer.
                if (!CommandCodec.TryRead(received, out _, out _, targets, out var actuators) || actuators == 0 || targets[0] == echoed || targets[0] == 0f)
                    continue;
                echoed = targets[0];
                Interlocked.Increment(ref commandsReceived);
                Send(echoed);
            }
        }

        void Send(float position)
        {
            state.JointPositions[0] = position;
            state.Sequence = sequence++;
            var length = FrameCodec.Encode(payload.AsSpan(0, StateCodec.Write(payload, state)), frame);
            bus.WriteAll(frame.AsSpan(0, length));
        }
    }
}
