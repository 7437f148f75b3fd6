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
    private readonly SimEnvironment _sim;
    private readonly RobotState _state;
    private readonly float[] _targets;
    private readonly float[] _received;
    private readonly FrameDecoder _decoder = new();
    private readonly byte[] _input = new byte[1024];
    private readonly byte[] _payload = new byte[WireFormat.MaxPayloadSize];
    private readonly byte[] _frame = new byte[WireFormat.MaxFrameSize];
    private readonly Lock _gate = new();
    private readonly Queue<float[]> _recentPositions = new();
    private readonly string _busPath;
    private SerialDevice? _bus;
    private Thread? _thread;
    private volatile bool _stopping;
    private Exception? _failure;
    private uint _sequence;

    public HardwareBusPlant(LoadedTask task, string busDevicePath, int seed = 0)
    {
        _busPath = busDevicePath;
        _sim = new SimEnvironment(task, randomize: false);
        _sim.Reset(seed);
        _state = new RobotState(task.RobotContract.Joints.Count) { HasImu = task.RobotContract.HasImu };
        _targets = new float[task.RobotContract.Actuators.Count];
        _received = new float[_targets.Length];
    }

    public long SensorFramesSent { get; private set; }

    public long TargetFramesReceived { get; private set; }

    /// <summary>Frames from the firmware that failed their checksum or did not decode.</summary>
    public long BadFrames => _decoder.BadChecksums + _decoder.MalformedFrames + _decoder.OversizeFrames;

    /// <summary>A copy of the targets the motors apply now.</summary>
    public float[] Targets()
    {
        lock (_gate)
            return (float[])_targets.Clone();
    }

    /// <summary>The joint positions of the last 256 sensor frames sent, oldest first, as the frames carry them (float32).</summary>
    public IReadOnlyList<float[]> RecentPositions()
    {
        lock (_gate)
            return _recentPositions.ToList();
    }

    /// <summary>A copy of the newest joint positions (contract order), for checks that the real joint moved.</summary>
    public double[] JointPositions()
    {
        lock (_gate)
            return (double[])_state.JointPositions.Clone();
    }

    public double SimulatedSeconds
    {
        get
        {
            lock (_gate)
                return _sim.Data.Time;
        }
    }

    public void Start()
    {
        _bus = SerialDevice.Open(_busPath, 921_600);
        _thread = new Thread(Run) { IsBackground = true, Name = "hardware bus plant", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Stops the plant; throws if its loop failed.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        if (_failure is not null)
            throw new InvalidOperationException($"the hardware bus plant failed: {_failure.Message}", _failure);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join();
        _bus?.Dispose();
        _sim.Dispose();
    }

    private void Run()
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var period = _sim.ControlDt;
            var periodTicks = (long)(period * Stopwatch.Frequency);
            for (long tick = 1; !_stopping; tick++)
            {
                // Until the firmware has answered, QEMU may not be reading the bus yet: probe every 100 ms instead of
                // queueing a second of sensor frames that it would then take in at once.
                if (TargetFramesReceived == 0 && tick % (long)Math.Max(1, Math.Round(0.1 / period)) != 0)
                {
                    Listen(started + tick * periodTicks);
                    continue;
                }

                lock (_gate)
                {
                    _sim.StepControlPeriod(_targets);
                    _sim.ReadState(_state);
                    if (_recentPositions.Count == 256)
                        _recentPositions.Dequeue();
                    _recentPositions.Enqueue(_state.JointPositions.Select(p => (float)p).ToArray());
                }

                _state.Sequence = _sequence++;
                var length = FrameCodec.Encode(_payload.AsSpan(0, StateCodec.Write(_payload, _state)), _frame);
                // A full bus (QEMU not reading yet) loses the frame, as a UART would.
                if (_bus!.WriteAll(_frame.AsSpan(0, length)))
                    SensorFramesSent++;
                // Sensors sample at their own rate: after a stall they go on from now, they do not send a burst.
                if (Stopwatch.GetTimestamp() - (started + tick * periodTicks) > 2 * periodTicks)
                    started = Stopwatch.GetTimestamp() - tick * periodTicks;
                Listen(started + tick * periodTicks);
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    // Takes the firmware's actuator frames until the deadline (a Stopwatch timestamp).
    private void Listen(long deadline)
    {
        while (!_stopping)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
                return;
            var count = _bus!.Read(_input, (int)Math.Clamp(left * 1000 / Stopwatch.Frequency, 0, 5));
            if (count < 0)
                throw new IOException($"the firmware's hardware bus {_busPath} closed");
            ReadOnlySpan<byte> bytes = _input.AsSpan(0, count);
            while (_decoder.TryReadFrame(ref bytes, out var payload))
            {
                if (!CommandCodec.TryRead(payload, out _, out _, _received, out var actuators) || actuators != _targets.Length)
                    continue;
                lock (_gate)
                    _received.AsSpan(0, actuators).CopyTo(_targets);
                TargetFramesReceived++;
            }
        }
    }
}
