using System.Runtime.InteropServices;

namespace Robotics.SimBridge.Tasks;

/// <summary>
/// What .NET does not say about a path on Linux: where it really leads (every symlink resolved) and whether it is
/// a regular file. Both are needed before opening a file a client named: opening a FIFO blocks, a device never ends.
/// </summary>
internal static partial class UnixFiles
{
    private const string LibC = "libc.so.6";
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const ushort FileTypeMask = 0xF000; // S_IFMT
    private const ushort RegularFile = 0x8000; // S_IFREG
    private const int StatxModeOffset = 28; // struct statx: stx_mode is a u16 at byte 28 on every architecture
    private const int StatxSizeOffset = 40; // stx_size is a u64 at byte 40
    private const int StatxBytes = 256;

    /// <summary>The canonical absolute path (symlinks, "." and ".." resolved); null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        nint resolved = realpath(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>True with its size when <paramref name="path"/> (symlinks followed) is a regular file: not a FIFO, device, socket or folder.</summary>
    public static unsafe bool IsRegularFile(string path, out long size)
    {
        byte* buffer = stackalloc byte[StatxBytes];
        size = 0;
        if (statx(AtFdCwd, path, 0, StatxType | StatxSize, buffer) != 0)
        {
            return false;
        }

        ushort mode = *(ushort*)(buffer + StatxModeOffset);
        size = (long)*(ulong*)(buffer + StatxSizeOffset);
        return (mode & FileTypeMask) == RegularFile;
    }

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport(LibC)]
    private static partial void free(nint pointer);

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* buffer);
}
