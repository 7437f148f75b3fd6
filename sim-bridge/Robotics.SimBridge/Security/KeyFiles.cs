namespace Robotics.SimBridge.Security;

/// <summary>
/// Key files, plain text so that any ZeroMQ binding can use them: NAME.key holds the secret key and NAME.pub the public
/// key, each as one line of Z85 (40 characters); blank lines and lines starting with # are comments, and text after a
/// key and a space is a label (e.g. the client's host name in an allow list, which holds one public key per line).
/// Every problem is a <see cref="BridgeException"/> of one line.
/// </summary>
public static class KeyFiles
{
    public const string SecretExtension = ".key";
    public const string PublicExtension = ".pub";
    private const int Z85KeyLength = 40;
    private const long MaxFileBytes = 1 << 20;
    private const UnixFileMode OthersMayRead = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                               UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Writes a new pair as PREFIX.key (mode 0600) and PREFIX.pub; refuses to overwrite either.</summary>
    public static (string SecretFile, string PublicFile, CurveKeyPair Pair) WriteNewPair(string prefix)
    {
        string secretFile = prefix + SecretExtension;
        string publicFile = prefix + PublicExtension;
        foreach (var file in new[] { secretFile, publicFile })
        {
            if (File.Exists(file))
            {
                throw new BridgeException($"{file} already exists; keys are never overwritten. Choose another --out or remove the old pair first");
            }
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(secretFile));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new BridgeException($"folder {folder} does not exist; create it first (mkdir -p {folder})");
        }

        var pair = CurveKeyPair.Generate();
        string name = Path.GetFileName(prefix);
        var secretOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            secretOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var secret = new StreamWriter(secretFile, secretOptions))
            {
                secret.Write($"# CURVE secret key of '{name}' (Z85). Keep it on this machine; its public key is in {name}{PublicExtension}.\n{Z85.Encode(pair.SecretKey)}\n");
            }

            using (var pub = new StreamWriter(publicFile, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write }))
            {
                pub.Write($"# CURVE public key of '{name}' (Z85). Give it to the other side: a bridge's to its clients, a client's to the bridge's --allow-clients file.\n{pair.PublicKeyZ85}\n");
            }
        }
        catch (IOException e)
        {
            throw new BridgeException($"cannot write the key pair {prefix}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BridgeException($"cannot write the key pair {prefix}: {e.Message}", e);
        }

        return (secretFile, publicFile, pair);
    }

    /// <summary>Reads a secret key file; refuses one that others may read, as ssh does.</summary>
    public static CurveKeyPair ReadSecret(string file, string what)
    {
        var lines = ReadLines(file, what);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & OthersMayRead) != 0)
        {
            throw new BridgeException($"{what} {file} can be read by other users; make it private with: chmod 600 {file}");
        }

        var keys = lines.Select(line => line.Text).ToList();
        if (keys.Count != 1)
        {
            throw new BridgeException($"{what} {file} should hold one secret key line (40 Z85 characters), found {keys.Count}; make one with `robotics keys --out NAME`");
        }

        return CurveKeyPair.FromSecretKey(Decode(keys[0], $"{what} {file}"));
    }

    /// <summary>A public key given as its 40 Z85 characters, or as the path of a .pub file holding them.</summary>
    public static byte[] ReadPublic(string keyOrFile, string what)
    {
        if (keyOrFile.Length == Z85KeyLength && !File.Exists(keyOrFile) && Z85.TryDecode(keyOrFile, out var key))
        {
            return key;
        }

        if (!File.Exists(keyOrFile))
        {
            throw new BridgeException($"{what} '{keyOrFile}' is neither a public key (40 Z85 characters) nor an existing .pub file");
        }

        var keys = ReadLines(keyOrFile, what).ToList();
        if (keys.Count != 1)
        {
            throw new BridgeException($"{what} {keyOrFile} should hold one public key line (40 Z85 characters), found {keys.Count}");
        }

        return Decode(keys[0].Text, $"{what} {keyOrFile}");
    }

    /// <summary>The public keys of an allow list, one per line; an empty list is refused (the bridge would serve no one).</summary>
    public static IReadOnlyList<byte[]> ReadAllowList(string file)
    {
        const string what = "allowed client keys";
        var keys = new List<byte[]>();
        foreach (var (text, line) in ReadLines(file, what))
        {
            keys.Add(Decode(text, $"{what} {file}, line {line}"));
        }

        if (keys.Count == 0)
        {
            throw new BridgeException($"{what} {file} holds no key; add the client's .pub line (one Z85 public key per line)");
        }

        return keys;
    }

    private static byte[] Decode(string text, string where)
    {
        if (text.Length != Z85KeyLength || !Z85.TryDecode(text, out var key))
        {
            throw new BridgeException($"{where}: '{ClientText.Cap(text, 60)}' is not a CURVE key (40 Z85 characters); make keys with `robotics keys --out NAME`");
        }

        return key;
    }

    /// <summary>The first word of every line that is not blank or a comment, with its line number.</summary>
    private static List<(string Text, int Line)> ReadLines(string file, string what)
    {
        if (!File.Exists(file))
        {
            throw new BridgeException($"{what} {file} does not exist; make a pair with `robotics keys --out NAME`");
        }

        if (new FileInfo(file).Length > MaxFileBytes)
        {
            throw new BridgeException($"{what} {file} is larger than {MaxFileBytes} bytes; it is not a key file");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BridgeException($"cannot read {what} {file}: {e.Message}", e);
        }

        var result = new List<(string, int)>();
        for (int i = 0; i < lines.Length; i++)
        {
            // '#' is also a Z85 character, but never the first of a 32-byte key: only whole lines can be comments.
            string text = lines[i].Trim();
            if (text.Length > 0 && text[0] != '#')
            {
                int space = text.IndexOfAny([' ', '\t']);
                result.Add((space < 0 ? text : text[..space], i + 1));
            }
        }

        return result;
    }
}
