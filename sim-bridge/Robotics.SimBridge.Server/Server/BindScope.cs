using System.Net;

namespace Robotics.SimBridge.Server;

/// <summary>Whether an endpoint a bridge binds can be reached from other machines.</summary>
public static class BindScope
{
    /// <summary>True for ipc://, inproc:// and tcp:// on a loopback address (127.0.0.0/8, ::1, localhost); false otherwise.</summary>
    public static bool IsLoopbackOnly(string endpoint)
    {
        if (endpoint.StartsWith("ipc://", StringComparison.Ordinal) || endpoint.StartsWith("inproc://", StringComparison.Ordinal))
        {
            return true;
        }

        if (!endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            return false;
        }

        string hostAndPort = endpoint["tcp://".Length..];
        int colon = hostAndPort.LastIndexOf(':');
        string host = (colon < 0 ? hostAndPort : hostAndPort[..colon]).Trim('[', ']');
        return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
