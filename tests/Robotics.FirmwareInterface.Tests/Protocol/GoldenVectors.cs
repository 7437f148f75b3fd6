using System.Globalization;
using Robotics.FirmwareInterface.Protocol;

namespace Robotics.FirmwareInterface.Tests.Protocol;

/// <summary>One section of firmware-interface/golden/vectors.txt: its fields and the expected frame bytes.</summary>
public sealed record GoldenVector(string Name, IReadOnlyDictionary<string, string> Fields, byte[] Frame)
{
    public override string ToString() => Name;

    public ProtocolMessage ToMessage()
    {
        var sequence = U32("sequence");
        return Fields["type"] switch
        {
            "handshake_request" or "handshake_response" => new HandshakeMessage(sequence, Fields["type"] == "handshake_response",
                (ushort)U32("protocol_version"), Fields["robot_name"], U64("contract_hash"), (int)U32("joint_count"),
                (int)U32("actuator_count"), F32("state_rate_hz"), F32("control_rate_hz"), U32("has_imu") == 1),
            "state" => new StateMessage(sequence, U64("device_time_us"), (RobotStatusFlags)U32("status_flags"),
                Floats("positions"), Floats("velocities"), Floats("efforts"),
                Fields.ContainsKey("imu_orientation")
                    ? new ImuReading(Floats("imu_orientation"), Floats("imu_angular_velocity"), Floats("imu_linear_acceleration"))
                    : null) { CommandsReceived = U32("commands_received"), LastCommandSequence = U32("last_command_sequence") },
            "command" => new CommandMessage(sequence, U32("state_sequence"), (CommandMode)U32("mode"), Floats("targets")),
            "heartbeat" => new HeartbeatMessage(sequence, U64("sender_time_us")),
            "fault" => new FaultMessage(sequence, (FaultCode)U32("code"), (ushort)U32("detail"), Fields["text"]),
            "emergency_stop" => new EmergencyStopMessage(sequence, (FaultCode)U32("reason")),
            "acknowledgement" => new AcknowledgementMessage(sequence, U32("acknowledged_sequence"),
                (SerialMessageType)U32("acknowledged_type"), (FaultCode)U32("result")),
            var other => throw new InvalidDataException($"golden vector {Name}: unknown type '{other}'"),
        };
    }

    /// <summary>A canonical text of every field, so that decoded and expected messages compare with array contents.</summary>
    public static string Describe(ProtocolMessage message) => message switch
    {
        StateMessage s => $"state {s.Sequence} {s.DeviceTimeMicros} {s.Status} {s.CommandsReceived} {s.LastCommandSequence} [{Join(s.Positions)}] [{Join(s.Velocities)}] [{Join(s.Efforts)}] "
            + (s.Imu is { } imu ? $"imu [{Join(imu.Orientation)}] [{Join(imu.AngularVelocity)}] [{Join(imu.LinearAcceleration)}]" : "no imu"),
        CommandMessage c => $"command {c.Sequence} {c.StateSequence} {c.Mode} [{Join(c.Targets)}]",
        _ => message.ToString(),
    };

    private static string Join(float[] values) => string.Join(' ', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private uint U32(string key) => (uint)U64(key);

    private ulong U64(string key)
    {
        var text = Fields[key];
        return text.StartsWith("0x", StringComparison.Ordinal)
            ? ulong.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(text, CultureInfo.InvariantCulture);
    }

    private float F32(string key) => float.Parse(Fields[key], CultureInfo.InvariantCulture);

    private float[] Floats(string key) =>
        Fields[key].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => float.Parse(t, CultureInfo.InvariantCulture)).ToArray();

    public static IReadOnlyList<GoldenVector> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "golden", "vectors.txt");
        var vectors = new List<GoldenVector>();
        string? name = null;
        var fields = new Dictionary<string, string>();
        foreach (var raw in File.ReadLines(path).Append("[end]"))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith('['))
            {
                if (name is not null)
                    vectors.Add(new GoldenVector(name, fields, Convert.FromHexString(fields["frame"])));
                name = line[1..^1];
                fields = [];
                continue;
            }

            var equals = line.IndexOf('=');
            fields[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return vectors;
    }
}
