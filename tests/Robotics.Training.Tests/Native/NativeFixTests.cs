using System.Buffers.Binary;
using System.Text;

namespace Robotics.Training.Tests.Native;

/// <summary>The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak (build/TorchSharpNativeFix.targets).</summary>
public sealed class NativeFixTests
{
    [Fact]
    public void Copy_next_to_the_program_requires_GLIBCXX_3_4_32_only_weakly()
    {
        string library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(library), $"{library} is missing: the TorchSharp native package was not copied");

        var needs = VersionNeeds(File.ReadAllBytes(library));
        Assert.Contains(needs, n => n.Name == "GLIBCXX_3.4.30");
        foreach (var (name, flags) in needs.Where(n => n.Name == "GLIBCXX_3.4.32"))
            Assert.True((flags & 0x2) != 0, $"{name} is required strongly (flags 0x{flags:x}); the build did not apply the fix");
    }

    // Vernaux names and flags of .gnu.version_r, read independently of the build task.
    private static List<(string Name, ushort Flags)> VersionNeeds(byte[] elf)
    {
        var b = elf.AsSpan();
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(b[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(b[0x3C..]);
        var result = new List<(string, ushort)>();
        for (int s = 0; s < shnum; s++)
        {
            var sh = b.Slice((int)(shoff + s * shentsize), shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != 0x6ffffffe) continue;
            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]);
            int strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.Slice((int)(shoff + link * shentsize) + 0x18));
            int need = offset;
            for (int n = 0; n < count; n++)
            {
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(need + 8)..]);
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(b[(need + 2)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameAt = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(aux + 8)..]);
                    int end = elf.AsSpan(nameAt).IndexOf((byte)0);
                    result.Add((Encoding.ASCII.GetString(elf, nameAt, end), BinaryPrimitives.ReadUInt16LittleEndian(b[(aux + 4)..])));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(aux + 12)..]);
                }

                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(need + 12)..]);
            }
        }

        return result;
    }
}
