using System.Diagnostics;
using Robotics.Contract;
using Robotics.FirmwareInterface.Protocol;
using Robotics.FirmwareInterface.Transport;
using Robotics.Sim.Environments;
using Robotics.Sim.Tasks;

namespace Robotics.RobotEmulator.Firmware;

/// <summary>
/// The robot's motors and encoders on the firmware's hardware bus, simulated by MuJoCo: every control period,
/// in real time, steps the simulation with the newest actuator targets the firmware sent (COMMAND frames) and
/// answers with the joint sensor readings (a STATE frame). Its sensor frames are the firmware's control tick, and
/// the firmware refreshes the targets after each.
/// </summary>
public sealed class HardwareBusPlant : IDisposable
{
    private readonly SimEnvironment sim;
    private readonly RobotState state;
    private readonly float[] targets;
    private readonly float[] received;
    private readonly FrameDecoder decoder = new();
    private readonly byte[] input = new byte[1024];
    private readonly byte[] payload = new byte[WireFormat.MaxPayloadSize];
    private readonly byte[] frame = new byte[WireFormat.MaxFrameSize];
    private readonly Lock gate = new();
    private readonly Queue<float[]> recentPositions = new();
    private readonly string busPath;
    private SerialDevice? bus;
    private Thread? thread;
    private volatile bool stopping;
    private Exception? failure;
    private uint sequence;

    public HardwareBusPlant(LoadedTask task, string busDevicePath, int seed = 0)
    {
        busPath = busDevicePath;
        sim = new SimEnvironment(task, randomize: false);
        sim.Reset(seed);
        state = new RobotState(task.RobotContract.Joints.Count) { HasImu = task.RobotContract.HasImu };
        targets = new float[task.RobotContract.Actuators.Count];
        received = new float[targets.Length];
    }

    public long SensorFramesSent { get; private set; }

    public long TargetFramesReceived { get; private set; }

    /// <summary>Frames from the firmware that failed their checksum or did not decode.</summary>
    public long BadFrames => decoder.BadChecksums + decoder.MalformedFrames + decoder.OversizeFrames;

    /// <summary>A copy of the targets the motors apply now.</summary>
    public float[] Targets()
    {
        lock (gate)
            return (float[])targets.Clone();
    }

    /// <summary>The joint positions of the last 256 sensor frames sent, oldest first, as the frames carry them (float32).</summary>
    public IReadOnlyList<float[]> RecentPositions()
    {
        lock (gate)
            return recentPositions.ToList();
    }

    /// <summary>A copy of the newest joint positions (contract order), for checks that the real joint moved.</summary>
    public double[] JointPositions()
    {
        lock (gate)
            return (double[])state.JointPositions.Clone();
    }

    public double SimulatedSeconds
    {
        get
        {
            lock (gate)
                return sim.Data.Time;
        }
    }

    public void Start()
    {
        bus = SerialDevice.Open(busPath, SerialLink.DefaultBaudRate);
        thread = new Thread(Run) { IsBackground = true, Name = "hardware bus plant", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>Stops the plant; throws if its loop failed.</summary>
    public void Stop()
    {
        stopping = true;
        thread?.Join();
        if (failure is not null)
            throw new InvalidOperationException($"the hardware bus plant failed: {failure.Message}", failure);
    }

    public void Dispose()
    {
        stopping = true;
        thread?.Join();
        bus?.Dispose();
        sim.Dispose();
    }

    private void Run()
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var period = sim.ControlDt;
            var periodTicks = (long)(period * Stopwatch.Frequency);
            for (long tick = 1; !stopping; tick++)
            {
                // Until the firmware has answered, QEMU may not be reading the bus yet: probe every 100 ms instead of
                // queueing a second of sensor frames that it would then take in at once.
                if (TargetFramesReceived == 0 && tick % (long)Math.Max(1, Math.Round(0.1 / period)) != 0)
                {
                    Listen(started + tick * periodTicks);
                    continue;
                }

                lock (gate)
                {
                    sim.StepControlPeriod(targets);
                    sim.ReadState(state);
                    if (recentPositions.Count == 256)
                        recentPositions.Dequeue();
                    recentPositions.Enqueue(state.JointPositions.Select(p => (float)p).ToArray());
                }

                state.Sequence = sequence++;
                var length = FrameCodec.Encode(payload.AsSpan(0, StateCodec.Write(payload, state)), frame);
                // A full bus (QEMU not reading yet) loses the frame, as a UART would.
                if (bus!.WriteAll(frame.AsSpan(0, length)))
                    SensorFramesSent++;
                // Sensors sample at their own rate: after a stall they go on from now, they do not send a burst.
                if (Stopwatch.GetTimestamp() - (started + tick * periodTicks) > 2 * periodTicks)
                    started = Stopwatch.GetTimestamp() - tick * periodTicks;
                Listen(started + tick * periodTicks);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    // Takes the firmware's actuator frames until the deadline (a Stopwatch timestamp).
    private void Listen(long deadline)
    {
        while (!stopping)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
                return;
            var count = bus!.Read(input, (int)Math.Clamp(left * 1000 / Stopwatch.Frequency, 0, 5));
            if (count < 0)
                throw new IOException($"the firmware's hardware bus {busPath} closed");
            ReadOnlySpan<byte> bytes = input.AsSpan(0, count);
            while (decoder.TryReadFrame(ref bytes, out var payload))
            {
                if (!CommandCodec.TryRead(payload, out _, out _, received, out var actuators) || actuators != targets.Length)
                    continue;
                lock (gate)
                    received.AsSpan(0, actuators).CopyTo(targets);
                TargetFramesReceived++;
            }
        }
    }
}
