using System.Globalization;
using System.Text;
using Robotics.Contract;

namespace Robotics.Runtime.Telemetry;

/// <summary>
/// Per-tick telemetry to a CSV file: timing, the commands sent and, where the columns name them, the robot state as
/// received and the operator's command (<see cref="TelemetryColumns"/>). The control thread copies each tick into a preallocated ring
/// (no allocation, no I/O, never blocks); a background thread formats and writes the rows. When the
/// writer falls a whole ring behind, ticks are dropped and counted rather than delaying the loop.
/// </summary>
public sealed class TelemetryWriter : IDisposable
{
    private readonly TickRecord[] records;
    private readonly float[] commands;
    private readonly double[] robot;
    private readonly int actuators;
    private readonly int joints;
    private readonly bool imu;
    private readonly int stateWidth;
    private readonly StreamWriter file;
    private readonly Thread thread;
    private readonly char[] number = new char[32];
    private long written; // read by the producer, advanced by the writer thread
    private long produced; // advanced by the producer
    private volatile bool closing;

    public TelemetryWriter(string path, IReadOnlyList<string> actuatorNames, int capacity = 16_384)
        : this(path, TelemetryColumns.CommandsOnly(actuatorNames), capacity)
    {
    }

    public TelemetryWriter(string path, TelemetryColumns columns, int capacity = 16_384)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Path = path;
        actuators = columns.Actuators.Count;
        joints = columns.Joints.Count;
        imu = columns.Imu;
        stateWidth = columns.StateWidth;
        records = new TickRecord[capacity];
        commands = new float[capacity * actuators];
        robot = new double[capacity * stateWidth];
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        file.Write("tick,time_s,period_error_us,inference_us,work_us,state_age_us,state_seq,phase,safety");
        foreach (var name in columns.Actuators) file.Write($",cmd_{name}");
        foreach (var name in columns.StateHeader()) file.Write($",{name}");
        file.WriteLine();
        thread = new Thread(Drain) { IsBackground = true, Name = "telemetry writer", Priority = ThreadPriority.BelowNormal };
        thread.Start();
    }

    public string Path { get; }

    /// <summary>Ticks not written because the writer was a whole ring behind.</summary>
    public long Dropped { get; private set; }

    /// <summary>Copies one tick into the ring; called from the control thread.</summary>
    public void Record(in TickRecord record, ReadOnlySpan<float> command) => Record(record, command, null, default);

    /// <summary>Copies one tick, the robot state it acted on and the operator's command into the ring; called from the control thread.</summary>
    public void Record(in TickRecord record, ReadOnlySpan<float> command, RobotState? state, ReadOnlySpan<double> operatorCommand)
    {
        var capacity = records.Length;
        if (produced - Volatile.Read(ref written) >= capacity)
        {
            Dropped++;
            return;
        }

        var slot = (int)(produced % capacity);
        records[slot] = record;
        command[..actuators].CopyTo(commands.AsSpan(slot * actuators, actuators));
        if (stateWidth > 0) CopyState(robot.AsSpan(slot * stateWidth, stateWidth), state, operatorCommand);
        Volatile.Write(ref produced, produced + 1);
    }

    private void CopyState(Span<double> row, RobotState? state, ReadOnlySpan<double> operatorCommand)
    {
        row.Fill(double.NaN);
        var at = 0;
        if (state is not null && state.JointCount >= joints)
        {
            state.JointPositions.AsSpan(0, joints).CopyTo(row);
            state.JointVelocities.AsSpan(0, joints).CopyTo(row[joints..]);
        }

        at += 2 * joints;
        if (imu)
        {
            if (state is { HasImu: true })
            {
                state.ImuOrientation.CopyTo(row[at..]);
                state.ImuAngularVelocity.CopyTo(row[(at + 4)..]);
                state.ImuLinearAcceleration.CopyTo(row[(at + 7)..]);
            }

            at += 10;
        }

        var n = Math.Min(operatorCommand.Length, stateWidth - at);
        operatorCommand[..n].CopyTo(row[at..]);
    }

    private void Drain()
    {
        while (true)
        {
            var done = closing;
            var available = Volatile.Read(ref produced);
            while (written < available)
            {
                WriteRow((int)(written % records.Length));
                Volatile.Write(ref written, written + 1);
            }

            if (done) break;
            file.Flush();
            Thread.Sleep(20);
        }

        file.Flush();
    }

    private void WriteRow(int slot)
    {
        ref readonly var r = ref records[slot];
        WriteNumber(r.Tick);
        WriteField(r.TimeSeconds, "F6");
        WriteField(r.PeriodErrorMicros, "F1");
        WriteField(r.InferenceMicros, "F1");
        WriteField(r.WorkMicros, "F1");
        WriteField(r.StateAgeMicros, "F1");
        file.Write(',');
        WriteNumber(r.StateSequence);
        file.Write(',');
        file.Write(PhaseName(r.Phase));
        file.Write(',');
        WriteNumber((int)r.Safety);
        for (int i = 0; i < actuators; i++) WriteField(commands[slot * actuators + i], "G7");
        for (int i = 0; i < stateWidth; i++) WriteField(robot[slot * stateWidth + i], "G9");
        file.WriteLine();
    }

    private void WriteField(double value, string format)
    {
        file.Write(',');
        if (value.TryFormat(number, out var length, format, CultureInfo.InvariantCulture)) file.Write(number, 0, length);
    }

    private void WriteNumber(long value)
    {
        if (value.TryFormat(number, out var length, default, CultureInfo.InvariantCulture)) file.Write(number, 0, length);
    }

    private static string PhaseName(Control.LoopPhase phase) => phase switch
    {
        Control.LoopPhase.WaitingForState => "waiting",
        Control.LoopPhase.Running => "running",
        Control.LoopPhase.RampingDown => "ramping_down",
        _ => "stopped",
    };

    /// <summary>Writes what is left in the ring and closes the file.</summary>
    public void Dispose()
    {
        closing = true;
        thread.Join();
        file.Dispose();
    }
}
