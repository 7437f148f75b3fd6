using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Server;

/// <summary>
/// Which clients a bridge with keys serves. CURVE (in NetMQ, without ZAP) only proves that a client knows the bridge's
/// public key, so each client proves in its Hello which key pair it holds (<see cref="HelloProof"/>); a key not on the
/// allow list, a stale proof or a replayed one is refused. A routing identity that passed is authenticated; it is random
/// and travels only inside CURVE's encryption, so no other client can claim it. Memory is bounded: an entry idle for
/// longest is forgotten first, and a forgotten client only has to say Hello again.
/// </summary>
internal sealed class ClientAuthenticator
{
    /// <summary>How far the time in a proof may differ from the bridge's clock.</summary>
    public static readonly TimeSpan ClockWindow = TimeSpan.FromSeconds(60);

    public const int MaxRememberedProofs = 4096;
    public const int MaxAuthenticatedIdentities = 1024;

    private readonly CurveServerKeys keys;
    private readonly HashSet<string> allowed;
    private readonly Func<long> unixSeconds;
    private readonly Dictionary<string, long> seenNonces = new();
    private readonly Dictionary<string, (string ClientKey, long LastUsed)> identities = new();
    private long uses;

    public ClientAuthenticator(CurveServerKeys keys, Func<long>? unixSeconds = null)
    {
        this.keys = keys;
        allowed = keys.AllowedClients.Select(key => Z85.Encode(key)).ToHashSet(StringComparer.Ordinal);
        this.unixSeconds = unixSeconds ?? (() => DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    /// <summary>Checks a Hello's key and proof; null when the client is now authenticated, otherwise why not.</summary>
    public string? Authenticate(ReadOnlySpan<byte> identity, byte[]? clientKey, byte[]? proof, out string clientKeyZ85)
    {
        clientKeyZ85 = "";
        if (clientKey is null || proof is null)
        {
            return "this bridge serves only clients with keys: connect over CURVE with the bridge's public key, and send Hello with " +
                   "client_key and proof (docs/sim-bridge-protocol.md, \"Authentication\"; the trainer's --bridge-key and --client-key)";
        }

        if (clientKey.Length != CurveKeyPair.KeyLength)
        {
            return $"client_key has {clientKey.Length} bytes; a CURVE public key has {CurveKeyPair.KeyLength}";
        }

        clientKeyZ85 = Z85.Encode(clientKey);
        if (!allowed.Contains(clientKeyZ85))
        {
            return $"client key {clientKeyZ85} is not allowed on this bridge; add it (the client's .pub line) to the bridge's --allow-clients file";
        }

        if (identity.Length is < HelloProof.MinIdentityLength or > HelloProof.MaxIdentityLength)
        {
            return $"the routing identity has {identity.Length} bytes; a client with keys sets a random one of " +
                   $"{HelloProof.MinIdentityLength} to {HelloProof.MaxIdentityLength} bytes (ZMQ_ROUTING_ID) before it connects";
        }

        if (!HelloProof.TryOpen(keys.Bridge, clientKey, proof, out long time, out var provedIdentity))
        {
            return $"the proof does not open with client key {clientKeyZ85}: the client's secret key is not that key's, " +
                   "it used another bridge public key, or the proof is malformed";
        }

        if (!identity.SequenceEqual(provedIdentity))
        {
            return "the proof was made for another routing identity; make it for the identity this connection uses";
        }

        long now = unixSeconds();
        if (Math.Abs(now - time) > (long)ClockWindow.TotalSeconds)
        {
            return $"the proof's time is {now - time} s off the bridge's clock (at most {ClockWindow.TotalSeconds:F0} s): " +
                   "synchronize the clocks (e.g. NTP) or make a new proof";
        }

        string nonce = Convert.ToHexString(proof, 0, HelloProof.NonceLength);
        if (seenNonces.ContainsKey(nonce))
        {
            return "this proof was used before; a client makes a new one (fresh nonce and time) for every Hello";
        }

        if (seenNonces.Count >= MaxRememberedProofs)
        {
            // A nonce older than the clock window can never be accepted again, so it need not be remembered.
            foreach (var stale in seenNonces.Where(entry => now - entry.Value > (long)ClockWindow.TotalSeconds).Select(entry => entry.Key).ToList())
            {
                seenNonces.Remove(stale);
            }

            if (seenNonces.Count >= MaxRememberedProofs)
            {
                return $"more than {MaxRememberedProofs} Hellos within {ClockWindow.TotalSeconds:F0} s; try again in a minute";
            }
        }

        seenNonces[nonce] = time;
        if (identities.Count >= MaxAuthenticatedIdentities && !identities.ContainsKey(Convert.ToHexString(identity)))
        {
            identities.Remove(identities.MinBy(entry => entry.Value.LastUsed).Key);
        }

        identities[Convert.ToHexString(identity)] = (clientKeyZ85, ++uses);
        return null;
    }

    /// <summary>Whether <paramref name="identity"/> passed a Hello (and has not been forgotten since).</summary>
    public bool IsAuthenticated(ReadOnlySpan<byte> identity)
    {
        string key = Convert.ToHexString(identity);
        if (!identities.TryGetValue(key, out var entry))
        {
            return false;
        }

        identities[key] = entry with { LastUsed = ++uses };
        return true;
    }

}
