using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Tests.Security;

public sealed class Z85Tests
{
    [Fact]
    public void Encodes_the_specification_example()
    {
        byte[] data = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        Assert.Equal("HelloWorld", Z85.Encode(data));
        Assert.True(Z85.TryDecode("HelloWorld", out var decoded));
        Assert.Equal(data, decoded);
    }

    [Fact]
    public void Keys_read_as_libzmq_writes_them()
    {
        Assert.Equal(KnownKeys.ClientSecretZ85, Z85.Encode(KnownKeys.Client.SecretKey));
        Assert.Equal(KnownKeys.ClientPublicZ85, KnownKeys.Client.PublicKeyZ85);
        Assert.Equal(KnownKeys.BridgePublicZ85, KnownKeys.Bridge.PublicKeyZ85);
    }

    [Fact]
    public void Public_keys_agree_with_NetMQ_certificates()
    {
        var certificate = NetMQ.NetMQCertificate.CreateFromSecretKey(KnownKeys.Client.SecretKey);
        Assert.Equal(KnownKeys.ClientPublicZ85, certificate.PublicKeyZ85);
    }

    [Theory]
    [InlineData("Hell")]   // length not a multiple of 5
    [InlineData("Hell\"")] // a character outside the alphabet
    [InlineData("Hellé")]  // not ASCII
    [InlineData("%%%%%")]  // 82 × (85⁴ + 85³ + 85² + 85 + 1) overflows 32 bits
    public void Refuses_text_that_is_not_Z85(string text)
    {
        Assert.False(Z85.TryDecode(text, out _));
    }
}
