using System.Runtime.InteropServices;
using System.Text;
using Robotics.FirmwareInterface.Interop;

namespace Robotics.FirmwareInterface.Transport;

/// <summary>
/// A pseudo-terminal pair made with openpty: this side holds the master, a serial client opens
/// <see cref="DevicePath"/> as if it were a UART. Both ends are raw, so frames pass unchanged.
/// Optionally a symbolic link gives the device a stable path across re-creations, as udev's
/// /dev/serial/by-id links do for a USB adapter that is unplugged and plugged back in.
/// </summary>
public sealed unsafe class PseudoTerminal : IByteChannel
{
    private int master;
    private int slave;

    private PseudoTerminal(int master, int slave, string slavePath, string? linkPath)
    {
        this.master = master;
        this.slave = slave;
        SlavePath = slavePath;
        LinkPath = linkPath;
    }

    /// <summary>The kernel's name of the slave side, e.g. /dev/pts/3.</summary>
    public string SlavePath { get; }

    /// <summary>The symbolic link made by <see cref="Open"/>, if any.</summary>
    public string? LinkPath { get; }

    /// <summary>The path a serial client opens: the link when there is one.</summary>
    public string DevicePath => LinkPath ?? SlavePath;

    /// <summary>The master's file descriptor, -1 once closed.</summary>
    public int MasterFd => master;

    public bool IsOpen => master >= 0;

    /// <summary>
    /// Opens a new pair. With <paramref name="linkPath"/>, (re)points that symbolic link at the slave.
    /// The master is non-blocking for writes: when nobody reads the slave, frames are dropped as on a real UART.
    /// </summary>
    public static PseudoTerminal Open(string? linkPath = null)
    {
        int master, slave;
        if (LibC.openpty(&master, &slave, null, null, null) != 0)
            throw new IOException($"openpty failed: {LibC.Error(Marshal.GetLastPInvokeError())}");

        try
        {
            MakeRaw(slave);
            MakeRaw(master);
            var flags = LibC.fcntl(master, LibC.F_GETFL, 0);
            if (flags < 0 || LibC.fcntl(master, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0)
                throw new IOException($"cannot make the pseudo-terminal non-blocking: {LibC.Error(Marshal.GetLastPInvokeError())}");

            var name = stackalloc byte[256];
            if (LibC.ptsname_r(master, name, 256) != 0)
                throw new IOException($"ptsname_r failed: {LibC.Error(Marshal.GetLastPInvokeError())}");
            var slavePath = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));

            if (linkPath is not null)
            {
                if (File.Exists(linkPath) || Directory.Exists(linkPath) || new FileInfo(linkPath).LinkTarget is not null)
                    File.Delete(linkPath);
                File.CreateSymbolicLink(linkPath, slavePath);
            }

            return new PseudoTerminal(master, slave, slavePath, linkPath);
        }
        catch
        {
            LibC.close(master);
            LibC.close(slave);
            throw;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for bytes and reads them; returns 0 when none came.
    /// Returns -1 once closed; throws <see cref="IOException"/> on a read error.
    /// </summary>
    public int Read(Span<byte> buffer, int timeoutMilliseconds)
    {
        if (master < 0)
            return -1;
        var fd = new LibC.PollFd { Fd = master, Events = LibC.POLLIN };
        var ready = LibC.poll(&fd, 1, timeoutMilliseconds);
        if (ready <= 0 || (fd.ReturnedEvents & LibC.POLLIN) == 0)
            return 0;
        fixed (byte* data = buffer)
        {
            var count = LibC.read(master, data, buffer.Length);
            if (count >= 0)
                return (int)count;
            var errno = Marshal.GetLastPInvokeError();
            if (errno is LibC.EAGAIN or LibC.EINTR)
                return 0;
            throw new IOException($"reading the pseudo-terminal failed: {LibC.Error(errno)}");
        }
    }

    /// <summary>Writes what the terminal takes now; returns the bytes written (fewer when its buffer is full).</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (master < 0)
            return 0;
        fixed (byte* bytes = data)
        {
            var count = LibC.write(master, bytes, data.Length);
            if (count >= 0)
                return (int)count;
            var errno = Marshal.GetLastPInvokeError();
            if (errno is LibC.EAGAIN or LibC.EINTR)
                return 0;
            throw new IOException($"writing the pseudo-terminal failed: {LibC.Error(errno)}");
        }
    }

    /// <summary>
    /// The baud rate the client configured on the slave (a pseudo-terminal's termios are the slave's, read through
    /// the master); null when closed or not a standard rate. Bytes move regardless: an emulator uses this to behave
    /// as a real line would when the two sides disagree.
    /// </summary>
    public int? ClientBaudRate()
    {
        if (master < 0)
            return null;
        var termios = stackalloc byte[LibC.TermiosBufferSize];
        return LibC.tcgetattr(master, termios) == 0 ? LibC.BaudOfSpeedCode(LibC.cfgetospeed(termios)) : null;
    }

    /// <summary>Closes both ends: a client of the slave sees the device vanish (hang-up). The link stays, pointing nowhere.</summary>
    public void Close()
    {
        if (master >= 0)
            LibC.close(master);
        if (slave >= 0)
            LibC.close(slave);
        master = -1;
        slave = -1;
    }

    public void Dispose()
    {
        Close();
        if (LinkPath is not null && new FileInfo(LinkPath).LinkTarget == SlavePath)
            File.Delete(LinkPath);
    }

    private static void MakeRaw(int fd)
    {
        var termios = stackalloc byte[LibC.TermiosBufferSize];
        if (LibC.tcgetattr(fd, termios) != 0)
            throw new IOException($"tcgetattr failed: {LibC.Error(Marshal.GetLastPInvokeError())}");
        LibC.cfmakeraw(termios);
        if (LibC.tcsetattr(fd, LibC.TCSANOW, termios) != 0)
            throw new IOException($"tcsetattr failed: {LibC.Error(Marshal.GetLastPInvokeError())}");
    }
}
