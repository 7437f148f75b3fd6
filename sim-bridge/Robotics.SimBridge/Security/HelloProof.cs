using System.Buffers.Binary;
using System.Security.Cryptography;
using NaCl;

namespace Robotics.SimBridge.Security;

/// <summary>
/// The proof a client sends in its Hello that it holds the secret key of the public key it claims: a NaCl box
/// (crypto_box: Curve25519, XSalsa20, Poly1305) from the client's key pair to the bridge's public key, over
/// "sim-bridge hello" (16 ASCII bytes), the Unix time in seconds (int64, little-endian) and the client's ZeroMQ
/// routing identity. Laid out as libsodium and PyNaCl's Box.encrypt write it: nonce (24) | tag (16) | ciphertext.
/// Only the holder of the bridge's secret key can open it, and only with the claimed client public key.
/// </summary>
public static class HelloProof
{
    public const int NonceLength = 24;
    public const int TagLength = 16;

    /// <summary>Routing identities an authenticated client may use: random, so that nobody can guess and claim one.</summary>
    public const int MinIdentityLength = 16;
    public const int MaxIdentityLength = 255;

    private const int TimeLength = sizeof(long);
    public const int MinLength = NonceLength + TagLength + ContextLength + TimeLength + MinIdentityLength;
    public const int MaxLength = NonceLength + TagLength + ContextLength + TimeLength + MaxIdentityLength;

    private const int ContextLength = 16;

    private static ReadOnlySpan<byte> Context => "sim-bridge hello"u8;

    /// <summary>A fresh proof (random nonce) for <paramref name="identity"/> at <paramref name="unixSeconds"/>.</summary>
    public static byte[] Create(CurveKeyPair client, byte[] bridgePublicKey, ReadOnlySpan<byte> identity, long unixSeconds)
    {
        if (identity.Length is < MinIdentityLength or > MaxIdentityLength)
        {
            throw new ArgumentException($"routing identity of {identity.Length} bytes; use {MinIdentityLength} to {MaxIdentityLength}", nameof(identity));
        }

        var message = new byte[ContextLength + TimeLength + identity.Length];
        Context.CopyTo(message);
        BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(ContextLength), unixSeconds);
        identity.CopyTo(message.AsSpan(ContextLength + TimeLength));

        var proof = new byte[NonceLength + TagLength + message.Length];
        RandomNumberGenerator.Fill(proof.AsSpan(0, NonceLength));
        using var box = new Curve25519XSalsa20Poly1305(client.SecretKey, bridgePublicKey);
        box.Encrypt(proof.AsSpan(NonceLength), message, proof.AsSpan(0, NonceLength));
        return proof;
    }

    /// <summary>Opens a proof; false when its length is out of bounds, it was not made with this pair of keys, or it was altered.</summary>
    public static bool TryOpen(CurveKeyPair bridge, byte[] clientPublicKey, byte[] proof, out long unixSeconds, out byte[] identity)
    {
        unixSeconds = 0;
        identity = [];
        if (proof.Length is < MinLength or > MaxLength || clientPublicKey.Length != CurveKeyPair.KeyLength)
        {
            return false;
        }

        var message = new byte[proof.Length - NonceLength - TagLength];
        using var box = new Curve25519XSalsa20Poly1305(bridge.SecretKey, clientPublicKey);
        if (!box.TryDecrypt(message, proof.AsSpan(NonceLength), proof.AsSpan(0, NonceLength)) || !message.AsSpan(0, ContextLength).SequenceEqual(Context))
        {
            return false;
        }

        unixSeconds = BinaryPrimitives.ReadInt64LittleEndian(message.AsSpan(ContextLength));
        identity = message[(ContextLength + TimeLength)..];
        return true;
    }
}
