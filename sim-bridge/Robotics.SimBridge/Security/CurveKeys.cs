namespace Robotics.SimBridge.Security;

/// <summary>A CURVE key pair (Curve25519, 32 bytes each). The public key is always derived from the secret one.</summary>
public sealed class CurveKeyPair
{
    public const int KeyLength = 32;

    private CurveKeyPair(byte[] secretKey, byte[] publicKey)
    {
        SecretKey = secretKey;
        PublicKey = publicKey;
    }

    public byte[] SecretKey { get; }
    public byte[] PublicKey { get; }
    public string PublicKeyZ85 => Z85.Encode(PublicKey);

    /// <summary>A fresh random pair.</summary>
    public static CurveKeyPair Generate()
    {
        return FromSecretKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyLength));
    }

    /// <summary>The pair of a 32-byte secret key.</summary>
    public static CurveKeyPair FromSecretKey(byte[] secretKey)
    {
        if (secretKey.Length != KeyLength)
        {
            throw new ArgumentException($"a CURVE secret key has {KeyLength} bytes, got {secretKey.Length}", nameof(secretKey));
        }

        return new CurveKeyPair(secretKey.ToArray(), NaCl.Curve25519.ScalarMultiplicationBase(secretKey));
    }
}

/// <summary>What a bridge needs to serve over CURVE: its own key pair and the public keys of the clients it serves.</summary>
public sealed record CurveServerKeys(CurveKeyPair Bridge, IReadOnlyList<byte[]> AllowedClients);

/// <summary>What a client needs to reach a bridge over CURVE: the bridge's public key and the client's own key pair.</summary>
public sealed record CurveClientKeys(byte[] BridgePublicKey, CurveKeyPair Client);
