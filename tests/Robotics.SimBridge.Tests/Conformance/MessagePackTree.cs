using System.Buffers.Binary;
using System.Text;

namespace Robotics.SimBridge.Tests.Conformance;

/// <summary>
/// A MessagePack value as a tree, decoded by hand from the bytes (not by the bridge's own MessagePack library, which
/// would hide its quirks), so that a reply can be compared field by field with the one a document shows.
/// <see cref="Unshown"/> stands for a value the document leaves out.
/// </summary>
internal abstract record PackNode
{
    public sealed record Unshown : PackNode;
    public sealed record Nil : PackNode;
    public sealed record Bool(bool Value) : PackNode;
    public sealed record Int(long Value) : PackNode;
    public sealed record Float(double Value) : PackNode;
    public sealed record Str(string Value) : PackNode;
    public sealed record Bin(byte[] Bytes) : PackNode;
    public sealed record Array(IReadOnlyList<PackNode> Items) : PackNode;
    public sealed record Map(IReadOnlyList<(PackNode Key, PackNode Value)> Entries) : PackNode;

    /// <summary>Decodes one value that fills <paramref name="bytes"/> exactly; <paramref name="unshown"/> are the offsets where an unshown value stands (in order).</summary>
    public static PackNode Decode(byte[] bytes, IReadOnlyList<int>? unshown = null)
    {
        var reader = new Reader(bytes, unshown ?? []);
        var node = reader.Value();
        if (reader.Position != bytes.Length || reader.UnshownLeft)
        {
            throw new FormatException($"{bytes.Length - reader.Position} bytes after the value");
        }

        return node;
    }

    private sealed class Reader(byte[] bytes, IReadOnlyList<int> unshown)
    {
        private int nextUnshown;

        public int Position { get; private set; }
        public bool UnshownLeft => nextUnshown < unshown.Count;

        public PackNode Value()
        {
            if (nextUnshown < unshown.Count && unshown[nextUnshown] == Position)
            {
                nextUnshown++;
                return new Unshown();
            }

            byte code = Take(1)[0];
            return code switch
            {
                <= 0x7f => new Int(code),
                >= 0x80 and <= 0x8f => MapOf(code & 0x0f),
                >= 0x90 and <= 0x9f => ArrayOf(code & 0x0f),
                >= 0xa0 and <= 0xbf => StrOf(code & 0x1f),
                0xc0 => new Nil(),
                0xc2 => new Bool(false),
                0xc3 => new Bool(true),
                0xc4 => new Bin(Take(Take(1)[0]).ToArray()),
                0xc5 => new Bin(Take(BinaryPrimitives.ReadUInt16BigEndian(Take(2))).ToArray()),
                0xc6 => new Bin(Take(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))).ToArray()),
                0xca => new Float(BinaryPrimitives.ReadSingleBigEndian(Take(4))),
                0xcb => new Float(BinaryPrimitives.ReadDoubleBigEndian(Take(8))),
                0xcc => new Int(Take(1)[0]),
                0xcd => new Int(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xce => new Int(BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                0xcf => new Int(checked((long)BinaryPrimitives.ReadUInt64BigEndian(Take(8)))),
                0xd0 => new Int((sbyte)Take(1)[0]),
                0xd1 => new Int(BinaryPrimitives.ReadInt16BigEndian(Take(2))),
                0xd2 => new Int(BinaryPrimitives.ReadInt32BigEndian(Take(4))),
                0xd3 => new Int(BinaryPrimitives.ReadInt64BigEndian(Take(8))),
                0xd9 => StrOf(Take(1)[0]),
                0xda => StrOf(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xdb => StrOf(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
                0xdc => ArrayOf(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xde => MapOf(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                >= 0xe0 => new Int((sbyte)code),
                _ => throw new FormatException($"MessagePack code 0x{code:x2} at offset {Position - 1} is not used by the protocol"),
            };
        }

        private PackNode StrOf(int length) => new Str(Encoding.UTF8.GetString(Take(length)));

        private PackNode ArrayOf(int count)
        {
            var items = new List<PackNode>(count);
            for (int i = 0; i < count; i++)
            {
                items.Add(Value());
            }

            return new Array(items);
        }

        private PackNode MapOf(int count)
        {
            var entries = new List<(PackNode, PackNode)>(count);
            for (int i = 0; i < count; i++)
            {
                entries.Add((Value(), Value()));
            }

            return new Map(entries);
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (Position + count > bytes.Length)
            {
                throw new FormatException($"the value at offset {Position} needs {count} bytes, {bytes.Length - Position} are left");
            }

            Position += count;
            return bytes.AsSpan(Position - count, count);
        }
    }
}
