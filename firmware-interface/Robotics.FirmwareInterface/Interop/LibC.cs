using System.Runtime.InteropServices;

namespace Robotics.FirmwareInterface.Interop;

/// <summary>The few POSIX calls the pseudo-terminal and the serial fast path need (glibc 2.36: all in libc.so.6).</summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc.so.6";

    public const int TCSANOW = 0;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int O_NONBLOCK = 0x800;
    public const short POLLIN = 0x001;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int EBUSY = 16;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    /// <summary>sizeof(struct termios) is 60 on Linux glibc; the buffer is larger to be safe.</summary>
    public const int TermiosBufferSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial int openpty(int* master, int* slave, byte* name, void* termios, void* windowSize);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport(Library)]
    public static partial void cfmakeraw(byte* termios);

    [LibraryImport(Library)]
    public static partial uint cfgetospeed(byte* termios);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>Baud rate of a termios speed code (Linux B* constants); null for BOTHER or an unknown code.</summary>
    public static int? BaudOfSpeedCode(uint code) => code switch
    {
        13 => 9600,
        14 => 19200,
        15 => 38400,
        0x1001 => 57600,
        0x1002 => 115200,
        0x1003 => 230400,
        0x1004 => 460800,
        0x1005 => 500000,
        0x1006 => 576000,
        0x1007 => 921600,
        0x1008 => 1000000,
        0x1009 => 1152000,
        0x100A => 1500000,
        0x100B => 2000000,
        0x100C => 2500000,
        0x100D => 3000000,
        0x100E => 3500000,
        0x100F => 4000000,
        _ => null,
    };

    public static string Error(int errno) => Marshal.GetPInvokeErrorMessage(errno) + $" (errno {errno})";
}
