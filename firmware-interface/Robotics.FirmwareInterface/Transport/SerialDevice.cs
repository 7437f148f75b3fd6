using System.Diagnostics.CodeAnalysis;
using System.IO.Ports;
using System.Reflection;
using System.Runtime.InteropServices;
using Robotics.FirmwareInterface.Interop;
using Robotics.Runtime.Transport;

namespace Robotics.FirmwareInterface.Transport;

/// <summary>
/// An open serial device. <see cref="SerialPort"/> opens and configures it (baud rate, 8N1, no flow control);
/// bytes then move through the file descriptor directly, because SerialStream on Unix allocates on every call
/// and its Close blocks after the device has hung up, which is exactly when a reconnect needs it.
/// </summary>
public sealed unsafe class SerialDevice : IByteChannel
{
    private readonly SerialPort port;
    private readonly SafeHandle handle;
    private readonly int fd;

    private SerialDevice(SerialPort port, SafeHandle handle)
    {
        this.port = port;
        this.handle = handle;
        fd = (int)handle.DangerousGetHandle();
    }

    // Named by constants so that trimming and NativeAOT keep exactly this field and can prove nothing else is needed.
    private const string SerialStreamTypeName = "System.IO.Ports.SerialStream, System.IO.Ports";
    private static readonly Type? SerialStreamType = Type.GetType(SerialStreamTypeName);
    private static readonly FieldInfo? HandleField = Type.GetType(SerialStreamTypeName)?.GetField("_handle", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>Opens <paramref name="path"/>; throws <see cref="RobotLinkException"/> saying what is wrong and what to try.</summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicFields, "System.IO.Ports.SerialStream", "System.IO.Ports")]
    public static SerialDevice Open(string path, int baudRate)
    {
        if (!File.Exists(path))
            throw new RobotLinkException(
                $"no serial device at '{path}': check the path (ls /dev/ttyUSB* /dev/ttyACM* /dev/serial/by-id/), the cable and that the robot is powered");

        var port = new SerialPort(path, baudRate, Parity.None, 8, StopBits.One) { Handshake = Handshake.None };
        try
        {
            port.Open();
        }
        catch (UnauthorizedAccessException e)
        {
            port.Dispose();
            throw new RobotLinkException(
                $"permission denied opening '{path}': add your user to the group that owns it (usually 'dialout': sudo usermod -aG dialout $USER, then log in again), or check that no other program holds it", e);
        }
        catch (IOException e) when (e.HResult == LibC.EBUSY)
        {
            // Another program opened it with TIOCEXCL.
            port.Dispose();
            throw Busy(path, e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new RobotLinkException($"cannot open '{path}' as a serial device at {baudRate} baud: {e.Message}", e);
        }

        var stream = port.BaseStream;
        if (stream.GetType() != SerialStreamType || HandleField?.GetValue(stream) is not SafeHandle handle)
        {
            port.Dispose();
            throw new RobotLinkException("this System.IO.Ports version does not expose the serial handle; the transport needs the Unix SerialStream of System.IO.Ports 10");
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        var device = new SerialDevice(port, handle);
        if (LibC.flock(device.fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0 && Marshal.GetLastPInvokeError() == LibC.EAGAIN)
        {
            device.Dispose();
            throw Busy(path, null);
        }

        return device;
    }

    private static RobotLinkException Busy(string path, Exception? inner) => new(
        $"'{path}' is busy: another program has it open (see which with 'fuser -v {path}'); stop that program and try again", inner);

    /// <summary>Reads what has arrived within <paramref name="timeoutMilliseconds"/>: 0 when nothing, -1 when the device has gone.</summary>
    public int Read(Span<byte> buffer, int timeoutMilliseconds)
    {
        var fd = new LibC.PollFd { Fd = this.fd, Events = LibC.POLLIN };
        var ready = LibC.poll(&fd, 1, timeoutMilliseconds);
        if (ready == 0)
            return 0;
        if (ready < 0)
            return Marshal.GetLastPInvokeError() == LibC.EINTR ? 0 : -1;
        fixed (byte* data = buffer)
        {
            var count = LibC.read(this.fd, data, buffer.Length);
            if (count > 0)
                return (int)count;
            if (count < 0 && Marshal.GetLastPInvokeError() is LibC.EAGAIN or LibC.EINTR)
                return 0;
            // Readable but nothing to read, or an error: the device hung up (unplugged, or its other end closed).
            return -1;
        }
    }

    int IByteChannel.Write(ReadOnlySpan<byte> data) => WriteAll(data) ? data.Length : 0;

    /// <summary>Writes all of <paramref name="data"/>; false when the device has gone or stays full.</summary>
    public bool WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            var written = 0;
            var waits = 0;
            while (written < data.Length)
            {
                var count = LibC.write(this.fd, bytes + written, data.Length - written);
                if (count > 0)
                {
                    written += (int)count;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (count < 0 && errno is not (LibC.EAGAIN or LibC.EINTR))
                    return false;
                // The output queue is full: wait briefly for the line to drain, a bounded number of times.
                if (++waits > 10)
                    return false;
                var fd = new LibC.PollFd { Fd = this.fd, Events = 0x004 /* POLLOUT */ };
                LibC.poll(&fd, 1, 1);
            }

            return true;
        }
    }

    public void Dispose()
    {
        handle.DangerousRelease();
        try
        {
            port.Dispose();
        }
        catch (IOException)
        {
            // A device that has vanished cannot be configured on close; its handle is released all the same.
        }
    }
}
