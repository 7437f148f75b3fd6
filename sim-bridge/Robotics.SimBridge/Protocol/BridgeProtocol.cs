using MessagePack;
using MessagePack.Resolvers;

namespace Robotics.SimBridge.Protocol;

/// <summary>Protocol constants and the MessagePack options both ends use.</summary>
public static class BridgeProtocol
{
    /// <summary>Carried by Hello and Make; a bridge refuses a client of another version.</summary>
    public const int Version = 1;

    /// <summary>The largest batch of environments a Make may ask for and a SpecReply may describe.</summary>
    public const int MaxNumEnvs = 4096;

    /// <summary>Standard resolver, hardened for bytes from the network (depth limits, collision-resistant hashing).</summary>
    public static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard
            .WithResolver(StandardResolver.Instance)
            .WithSecurity(MessagePackSecurity.UntrustedData);
}
