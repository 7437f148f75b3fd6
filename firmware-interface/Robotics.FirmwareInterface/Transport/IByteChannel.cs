namespace Robotics.FirmwareInterface.Transport;

/// <summary>A raw byte stream to the other side of a serial line: a pseudo-terminal master or an open serial device.</summary>
public interface IByteChannel : IDisposable
{
    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for bytes; 0 when none came, -1 when the other side has gone.</summary>
    int Read(Span<byte> buffer, int timeoutMilliseconds);

    /// <summary>Writes what the channel takes now; returns the bytes written.</summary>
    int Write(ReadOnlySpan<byte> data);
}
