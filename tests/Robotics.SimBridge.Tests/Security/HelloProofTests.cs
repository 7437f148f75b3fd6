using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Tests.Security;

public sealed class HelloProofTests
{
    [Fact]
    public void A_proof_made_by_libsodium_opens_with_the_claimed_key()
    {
        var proof = Convert.FromHexString(KnownKeys.LibsodiumProofHex);

        Assert.True(HelloProof.TryOpen(KnownKeys.Bridge, KnownKeys.Client.PublicKey, proof, out long time, out var identity));
        Assert.Equal(KnownKeys.ProofTime, time);
        Assert.Equal(KnownKeys.Identity, identity);
    }

    [Fact]
    public void A_proof_made_here_opens_and_carries_time_and_identity()
    {
        var proof = HelloProof.Create(KnownKeys.Client, KnownKeys.Bridge.PublicKey, KnownKeys.Identity, 1234);

        Assert.Equal(HelloProof.NonceLength + HelloProof.TagLength + 16 + 8 + 16, proof.Length);
        Assert.True(HelloProof.TryOpen(KnownKeys.Bridge, KnownKeys.Client.PublicKey, proof, out long time, out var identity));
        Assert.Equal(1234L, time);
        Assert.Equal(KnownKeys.Identity, identity);
    }

    [Fact]
    public void Two_proofs_never_share_a_nonce()
    {
        var first = HelloProof.Create(KnownKeys.Client, KnownKeys.Bridge.PublicKey, KnownKeys.Identity, 1);
        var second = HelloProof.Create(KnownKeys.Client, KnownKeys.Bridge.PublicKey, KnownKeys.Identity, 1);
        Assert.NotEqual(first[..HelloProof.NonceLength], second[..HelloProof.NonceLength]);
    }

    [Fact]
    public void A_proof_does_not_open_with_another_claimed_key()
    {
        var proof = Convert.FromHexString(KnownKeys.LibsodiumProofHex);
        var other = CurveKeyPair.FromSecretKey(Enumerable.Repeat((byte)7, 32).ToArray());

        Assert.False(HelloProof.TryOpen(KnownKeys.Bridge, other.PublicKey, proof, out _, out _));
    }

    [Fact]
    public void A_proof_made_with_the_public_key_of_another_bridge_does_not_open()
    {
        var otherBridge = CurveKeyPair.FromSecretKey(Enumerable.Repeat((byte)9, 32).ToArray());
        var proof = HelloProof.Create(KnownKeys.Client, otherBridge.PublicKey, KnownKeys.Identity, 1);

        Assert.False(HelloProof.TryOpen(KnownKeys.Bridge, KnownKeys.Client.PublicKey, proof, out _, out _));
    }

    [Fact]
    public void Every_altered_byte_is_detected()
    {
        var proof = Convert.FromHexString(KnownKeys.LibsodiumProofHex);
        for (int i = 0; i < proof.Length; i++)
        {
            var altered = proof.ToArray();
            altered[i] ^= 0x01;
            Assert.False(HelloProof.TryOpen(KnownKeys.Bridge, KnownKeys.Client.PublicKey, altered, out _, out _), $"byte {i} altered");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(HelloProof.MinLength - 1)]
    [InlineData(HelloProof.MaxLength + 1)]
    public void A_proof_of_impossible_length_is_refused_before_decrypting(int length)
    {
        Assert.False(HelloProof.TryOpen(KnownKeys.Bridge, KnownKeys.Client.PublicKey, new byte[length], out _, out _));
    }

    [Fact]
    public void A_claimed_key_that_is_not_32_bytes_is_refused()
    {
        var proof = Convert.FromHexString(KnownKeys.LibsodiumProofHex);
        Assert.False(HelloProof.TryOpen(KnownKeys.Bridge, new byte[31], proof, out _, out _));
    }
}
