namespace Robotics.FirmwareInterface.Protocol;

/// <summary>
/// Cuts a byte stream into frames at zero delimiters. Survives garbage, partial frames across reads,
/// corrupted and oversize frames: each is counted and skipped, and decoding resumes at the next delimiter.
/// Allocation-free after construction. Not thread-safe: one reader owns it.
/// </summary>
public sealed class FrameDecoder
{
    private readonly byte[] block = new byte[WireFormat.MaxFrameSize];
    private readonly byte[] payload = new byte[WireFormat.MaxPayloadSize + WireFormat.CrcSize];
    private int blockLength;
    private bool overflowed;

    public long FramesDecoded { get; private set; }
    public long BadChecksums { get; private set; }
    public long MalformedFrames { get; private set; }
    public long OversizeFrames { get; private set; }

    /// <summary>
    /// Consumes bytes from <paramref name="input"/> until one frame is complete; returns true with its payload
    /// (valid until the next call). Returns false when the input is used up; the rest of a partial frame is kept.
    /// </summary>
    public bool TryReadFrame(ref ReadOnlySpan<byte> input, out ReadOnlySpan<byte> payload)
    {
        while (!input.IsEmpty)
        {
            var delimiter = input.IndexOf(WireFormat.Delimiter);
            var chunk = delimiter < 0 ? input : input[..delimiter];
            Append(chunk);
            if (delimiter < 0)
            {
                input = default;
                break;
            }

            input = input[(delimiter + 1)..];
            if (TryCompleteBlock(out payload))
                return true;
        }

        payload = default;
        return false;
    }

    /// <summary>Forgets any partial frame, for example after the device was reopened.</summary>
    public void Reset()
    {
        blockLength = 0;
        overflowed = false;
    }

    private void Append(ReadOnlySpan<byte> chunk)
    {
        if (overflowed)
            return;
        if (blockLength + chunk.Length > block.Length)
        {
            overflowed = true;
            return;
        }

        chunk.CopyTo(block.AsSpan(blockLength));
        blockLength += chunk.Length;
    }

    private bool TryCompleteBlock(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        var length = blockLength;
        var overflowed = this.overflowed;
        Reset();
        if (overflowed)
        {
            OversizeFrames++;
            return false;
        }

        // Back-to-back delimiters are idle fill, not frames.
        if (length == 0)
            return false;

        switch (FrameCodec.Decode(block.AsSpan(0, length), this.payload, out var payloadLength))
        {
            case FrameStatus.Ok:
                FramesDecoded++;
                payload = this.payload.AsSpan(0, payloadLength);
                return true;
            case FrameStatus.BadChecksum:
                BadChecksums++;
                return false;
            case FrameStatus.Oversize:
                OversizeFrames++;
                return false;
            default:
                MalformedFrames++;
                return false;
        }
    }
}
