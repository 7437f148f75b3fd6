using System.Buffers.Binary;
using Google.Protobuf;

namespace Robotics.Training.Tests.Monitoring;

/// <summary>
/// Reads TensorBoard event files for the tests without the writer's code: its own CRC32C and its own decoding of
/// the Event and Summary fields by TensorFlow's field numbers (event.proto, summary.proto).
/// </summary>
internal static class TensorboardEventReader
{
    public sealed record Scalar(string Tag, float Value);

    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<Scalar> Scalars);

    /// <summary>Every event of the folder's event files, in file-name order (TensorBoard's); fails on any bad CRC.</summary>
    public static List<Event> ReadFolder(string directory) =>
        Directory.GetFiles(directory, "events.out.tfevents.*").Order(StringComparer.Ordinal).SelectMany(ReadFile).ToList();

    public static List<Event> ReadFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            Assert.True(bytes.Length - at >= 16, $"{path}: {bytes.Length - at} stray bytes at offset {at}");
            var header = bytes.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Assert.Equal(Masked(Crc32C(header)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            Assert.True(length <= (ulong)(bytes.Length - at - 16), $"{path}: record at {at} runs past the end");
            var payload = bytes.AsSpan(at + 12, (int)length);
            Assert.Equal(Masked(Crc32C(payload)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)));
            events.Add(ParseEvent(payload.ToArray()));
            at += 16 + (int)length;
        }

        return events;
    }

    /// <summary>Bit-by-bit CRC32C (reflected polynomial 0x82F63B78), the slow textbook form.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }

        return ~crc;
    }

    private static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8;

    private static Event ParseEvent(byte[] payload)
    {
        var input = new CodedInputStream(payload);
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<Scalar>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case (1 << 3) | 1: wallTime = input.ReadDouble(); break;
                case (2 << 3) | 0: step = input.ReadInt64(); break;
                case (3 << 3) | 2: fileVersion = input.ReadString(); break;
                case (5 << 3) | 2: scalars.AddRange(ParseSummary(input.ReadBytes())); break;
                default: throw new InvalidDataException($"unexpected Event field, tag {tag}");
            }
        }

        return new Event(wallTime, step, fileVersion, scalars);
    }

    private static IEnumerable<Scalar> ParseSummary(ByteString summary)
    {
        var input = summary.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            Assert.Equal((1u << 3) | 2, tag);
            var value = input.ReadBytes().CreateCodedInput();
            string name = "";
            float? simple = null;
            uint field;
            while ((field = value.ReadTag()) != 0)
            {
                if (field == ((1 << 3) | 2)) name = value.ReadString();
                else if (field == ((2 << 3) | 5)) simple = value.ReadFloat();
                else throw new InvalidDataException($"unexpected Summary.Value field, tag {field}");
            }

            Assert.True(simple.HasValue, $"summary value {name} has no simple_value");
            yield return new Scalar(name, simple!.Value);
        }
    }
}
