using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Benchmarks;

/// <summary>
/// Fresh CURVE keys for one benchmark run: the bridge's pair and one allowed client, in memory for a bridge in this
/// process and as key files in a private temporary folder for a child bridge (its --curve-key and --allow-clients).
/// Disposing deletes the folder.
/// </summary>
internal sealed class BenchmarkKeys : IDisposable
{
    private readonly string folder;

    private BenchmarkKeys(string folder, CurveKeyPair bridge, CurveKeyPair client, string bridgeKeyFile, string clientPublicFile)
    {
        this.folder = folder;
        Server = new CurveServerKeys(bridge, [client.PublicKey]);
        Client = new CurveClientKeys(bridge.PublicKey, client);
        BridgeKeyFile = bridgeKeyFile;
        ClientPublicFile = clientPublicFile;
    }

    public CurveServerKeys Server { get; }

    public CurveClientKeys Client { get; }

    public string BridgeKeyFile { get; }

    public string ClientPublicFile { get; }

    public static BenchmarkKeys Create()
    {
        string folder = Directory.CreateTempSubdirectory("robotics-bench-keys-").FullName;
        try
        {
            var (bridgeKey, _, bridge) = KeyFiles.WriteNewPair(Path.Combine(folder, "bridge"));
            var (_, clientPublic, client) = KeyFiles.WriteNewPair(Path.Combine(folder, "client"));
            return new BenchmarkKeys(folder, bridge, client, bridgeKey, clientPublic);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
