namespace Robotics.SimBridge.Protocol;

/// <summary>
/// The first byte of every frame. A reply carries its request's type with the high bit set
/// (<see cref="Step"/> 0x04 is answered by 0x84); <see cref="Error"/> answers any request.
/// </summary>
public enum BridgeMessageType : byte
{
    Hello = 0x01,
    Make = 0x02,
    Reset = 0x03,
    Step = 0x04,
    SetRandomization = 0x05,
    GetRandomization = 0x06,
    GetStats = 0x07,
    Close = 0x08,

    HelloReply = 0x81,
    SpecReply = 0x82,
    ResetReply = 0x83,
    StepReply = 0x84,
    SetRandomizationReply = 0x85,
    RandomizationReply = 0x86,
    StatsReply = 0x87,
    CloseReply = 0x88,

    Error = 0xFF,
}

public static class BridgeMessageTypes
{
    public const byte ReplyBit = 0x80;

    public static bool IsRequest(BridgeMessageType type) => type is >= BridgeMessageType.Hello and <= BridgeMessageType.Close;

    public static BridgeMessageType ReplyTo(BridgeMessageType request) => (BridgeMessageType)((byte)request | ReplyBit);
}
