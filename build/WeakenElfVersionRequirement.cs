// MSBuild inline task (RoslynCodeTaskFactory), compiled by the build from build/TorchSharpNativeFix.targets.
// Sets VER_FLG_WEAK on named version requirements (Vernaux entries of .gnu.version_r) of an ELF64
// little-endian shared library, so that the dynamic loader does not refuse a library that lacks them.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenElfVersionRequirement : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public string LibraryPath { get; set; } = "";

    /// <summary>Version names separated by ';', e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string VersionNames { get; set; } = "";

    [Output]
    public int PatchedCount { get; set; }

    public override bool Execute()
    {
        try
        {
            var wanted = VersionNames.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
            byte[] elf = File.ReadAllBytes(LibraryPath);
            int changed = Weaken(elf, wanted, out int alreadyWeak);
            if (changed > 0)
            {
                // Write a new file and rename it over the old one: never modify a file that may be a
                // hard link into the NuGet cache, and never leave a half-written library behind.
                string temp = LibraryPath + ".weak-tmp";
                File.WriteAllBytes(temp, elf);
                File.Replace(temp, LibraryPath, null);
                Log.LogMessage(MessageImportance.High,
                    $"{Path.GetFileName(LibraryPath)}: marked {changed} version requirement(s) weak ({VersionNames}) so that it loads with an older libstdc++");
            }
            else
            {
                Log.LogMessage(MessageImportance.Low,
                    $"{Path.GetFileName(LibraryPath)}: nothing to patch ({alreadyWeak} of {VersionNames} already weak)");
            }

            PatchedCount = changed;
            return true;
        }
        catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
        {
            Log.LogError($"cannot patch {LibraryPath}: {e.Message}");
            return false;
        }
    }

    /// <summary>Sets the weak flag on every Vernaux entry whose name is in <paramref name="names"/>; returns how many changed.</summary>
    public static int Weaken(byte[] elf, string[] names, out int alreadyWeak)
    {
        alreadyWeak = 0;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");

        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A);
        int shnum = U16(elf, 0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > elf.Length)
            throw new InvalidDataException("section header table is missing or out of bounds");

        int changed = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;

            long offset = (long)U64(elf, sh + 0x18);
            long size = (long)U64(elf, sh + 0x20);
            int link = (int)U32(elf, sh + 0x28);
            int count = (int)U32(elf, sh + 0x2C);
            if (link >= shnum || offset + size > elf.Length)
                throw new InvalidDataException(".gnu.version_r is out of bounds");
            long strtab = shoff + (long)link * shentsize;
            long strOffset = (long)U64(elf, strtab + 0x18);
            long strSize = (long)U64(elf, strtab + 0x20);

            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = U16(elf, need + 2);
                long aux = need + U32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long flagsAt = aux + 4;
                    uint nameOffset = U32(elf, aux + 8);
                    string name = ReadString(elf, strOffset, strSize, nameOffset);
                    if (Array.IndexOf(names, name) >= 0)
                    {
                        ushort flags = U16(elf, flagsAt);
                        if ((flags & VerFlgWeak) != 0) alreadyWeak++;
                        else
                        {
                            WriteU16(elf, flagsAt, (ushort)(flags | VerFlgWeak));
                            changed++;
                        }
                    }

                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }

                uint nextNeed = U32(elf, need + 12);
                if (nextNeed == 0) break;
                need += nextNeed;
            }
        }

        return changed;
    }

    // Little-endian reads and writes by hand: inline tasks compile against netstandard2.0 (no BinaryPrimitives).
    private static ulong U64(byte[] b, long at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);
    private static uint U32(byte[] b, long at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    private static ushort U16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);

    private static void WriteU16(byte[] b, long at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }

    private static string ReadString(byte[] elf, long tableOffset, long tableSize, uint offset)
    {
        if (offset >= tableSize) throw new InvalidDataException("version name lies outside the string table");
        int start = (int)(tableOffset + offset);
        int end = start;
        while (end < elf.Length && elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, start, end - start);
    }
}
