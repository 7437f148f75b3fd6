using Robotics.SimBridge.Security;

namespace Robotics.SimBridge.Tests.Security;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFilesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("robotics-keys-").FullName;

    [Fact]
    public void A_new_pair_is_a_private_key_file_and_a_public_key_file_that_read_back()
    {
        var (secretFile, publicFile, pair) = KeyFiles.WriteNewPair(Path.Combine(folder, "bridge"));

        Assert.Equal(Path.Combine(folder, "bridge.key"), secretFile);
        Assert.Equal(Path.Combine(folder, "bridge.pub"), publicFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretFile));
        Assert.Equal(pair.SecretKey, KeyFiles.ReadSecret(secretFile, "key").SecretKey);
        Assert.Equal(pair.PublicKey, KeyFiles.ReadPublic(publicFile, "key"));
        Assert.Equal(pair.PublicKey, KeyFiles.ReadPublic(pair.PublicKeyZ85, "key"));
        Assert.DoesNotContain(Z85.Encode(pair.SecretKey), File.ReadAllText(publicFile));
    }

    [Fact]
    public void An_existing_pair_is_never_overwritten()
    {
        var first = KeyFiles.WriteNewPair(Path.Combine(folder, "host"));
        string before = File.ReadAllText(first.SecretFile);

        var error = Assert.Throws<BridgeException>(() => KeyFiles.WriteNewPair(Path.Combine(folder, "host")));

        Assert.Contains("already exists", error.Message);
        Assert.Equal(before, File.ReadAllText(first.SecretFile));
    }

    [Fact]
    public void A_secret_key_file_others_can_read_is_refused_with_the_command_that_fixes_it()
    {
        var (secretFile, _, _) = KeyFiles.WriteNewPair(Path.Combine(folder, "open"));
        File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<BridgeException>(() => KeyFiles.ReadSecret(secretFile, "--curve-key"));

        Assert.Equal($"--curve-key {secretFile} can be read by other users; make it private with: chmod 600 {secretFile}", error.Message);
    }

    [Fact]
    public void An_allow_list_skips_comments_and_labels()
    {
        string list = Path.Combine(folder, "clients");
        File.WriteAllText(list, $"# trainers allowed on this bridge\n\n{KnownKeys.ClientPublicZ85}  workstation of the lab\n  {KnownKeys.BridgePublicZ85}\n");

        var keys = KeyFiles.ReadAllowList(list);

        Assert.Equal([KnownKeys.ClientPublicZ85, KnownKeys.BridgePublicZ85], keys.Select(k => Z85.Encode(k)));
    }

    [Theory]
    [InlineData("# nothing but a comment\n", "holds no key")]
    [InlineData("tooshort\n", "line 1: 'tooshort' is not a CURVE key")]
    [InlineData("0rJua1Qkhq2)}4G4gS)W5Ft->6=4P585:Cl9uD\"B\n", "is not a CURVE key")]
    public void A_bad_allow_list_is_one_line_naming_the_problem(string content, string expected)
    {
        string list = Path.Combine(folder, "clients");
        File.WriteAllText(list, content);

        var error = Assert.Throws<BridgeException>(() => KeyFiles.ReadAllowList(list));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void A_missing_key_file_says_how_to_make_one()
    {
        var error = Assert.Throws<BridgeException>(() => KeyFiles.ReadSecret(Path.Combine(folder, "none.key"), "--client-key"));
        Assert.Contains("does not exist; make a pair with `robotics keys --out NAME`", error.Message);
    }

    [Fact]
    public void A_public_key_that_is_neither_a_key_nor_a_file_is_refused()
    {
        var error = Assert.Throws<BridgeException>(() => KeyFiles.ReadPublic("bridge.pub", "--bridge-key"));
        Assert.Equal("--bridge-key 'bridge.pub' is neither a public key (40 Z85 characters) nor an existing .pub file", error.Message);
    }

    [Fact]
    public void A_secret_key_file_with_two_keys_is_refused()
    {
        string file = Path.Combine(folder, "two.key");
        File.WriteAllText(file, $"{KnownKeys.ClientSecretZ85}\n{KnownKeys.BridgeSecretZ85}\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<BridgeException>(() => KeyFiles.ReadSecret(file, "--client-key"));

        Assert.Contains("should hold one secret key line", error.Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
