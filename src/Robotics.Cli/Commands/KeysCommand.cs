using System.CommandLine;
using Robotics.SimBridge.Security;

namespace Robotics.Cli.Commands;

/// <summary><c>robotics keys --out DIR/NAME</c>: makes a CURVE key pair for a sim bridge or a trainer.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "where to write the pair: DIR/NAME makes DIR/NAME.key (secret, mode 0600) and DIR/NAME.pub (public); existing files are never overwritten",
            Required = true,
        };
        var command = new Command("keys", "Make a CURVE key pair for a sim bridge (--curve-key) or a trainer (--client-key); see docs/sim-bridge-protocol.md.")
        {
            output,
        };
        command.SetAction(parse => CliErrors.Known.Run("error", () =>
        {
            var (secretFile, publicFile, pair) = KeyFiles.WriteNewPair(parse.GetValue(output)!);
            Console.WriteLine($"secret key: {secretFile} (keep it on this machine)");
            Console.WriteLine($"public key: {publicFile}");
            Console.WriteLine(pair.PublicKeyZ85);
            return 0;
        }));
        return command;
    }
}
