using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Robotics.Contract;
using Robotics.Contract.CommandLine;
using Robotics.Contract.Observations;
using Robotics.Runtime.Deployment;
using Robotics.Runtime.Policy;
using Robotics.Runtime.Transport;

namespace Robotics.RobotRuntime;

/// <summary>
/// <c>robotics-runtime check</c>: loads the model and prints its contract; with a link, does the handshake and says
/// whether the robot's contract matches, commanding nothing. With <c>--evaluate</c> it also runs the model on
/// observations from a file, so that two builds (x64 and arm64) can be compared on the same inputs.
/// </summary>
internal static class CheckVerb
{
    public static Command Create()
    {
        var policy = new Option<FileInfo>("--policy") { Description = "the ONNX model written by 'robotics export'", Required = true };
        var link = new Option<string?>("--link") { Description = Verb.LinkHelp + ". Only the handshake is done; nothing is commanded" };
        var handshake = DeploymentCommandLine.HandshakeTimeoutOption();
        var evaluate = new Option<FileInfo?>("--evaluate") { Description = "observations as little-endian float32, row after row: run the model on each" };
        var actions = new Option<FileInfo?>("--write-actions") { Description = "with --evaluate, where to write the actions (little-endian float32, row after row)" };
        var command = new Command("check", "Load a model, print its contract and, with a link, check the robot's contract without commanding anything.")
        {
            policy, link, handshake, evaluate, actions,
        };
        command.SetAction(parse => Verb.Guard("check", () => Check(
            parse.GetValue(policy)!.FullName, parse.GetValue(link), TimeSpan.FromSeconds(parse.GetValue(handshake)),
            parse.GetValue(evaluate)?.FullName, parse.GetValue(actions)?.FullName)));
        return command;
    }

    private static int Check(string policyPath, string? linkText, TimeSpan handshakeTimeout, string? evaluatePath, string? actionsPath)
    {
        if ((evaluatePath is null) != (actionsPath is null))
            throw new ArgumentException("--evaluate and --write-actions go together");
        using var policy = OnnxPolicy.Load(policyPath);
        var contract = policy.Metadata.Contract;
        Print(policy.Metadata);
        if (evaluatePath is not null) Evaluate(policy, evaluatePath, actionsPath!);
        if (linkText is null) return 0;

        var made = Verb.Links().Make(linkText, new RobotLinkRequest(contract, contract.Robot.ControlRateHz));
        using var link = made.Transport;
        ContractCheck.Require(contract, made.RobotContract, null);
        var answer = link.Open(handshakeTimeout);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"robot          '{answer.RobotName}', protocol {answer.ProtocolVersion}, contract {answer.ContractHash:x16}, {answer.JointCount} joints, {answer.ActuatorCount} actuators, state {answer.StateRateHz} Hz, control {answer.ControlRateHz} Hz"));
        var differences = ContractCheck.Differences(contract, made.RobotContract, answer);
        if (differences.Count == 0)
        {
            // A matching contract is not enough: the robot must also be able to supply every observation term.
            try
            {
                ObservationBuilder.ForRobot(contract);
            }
            catch (NotSupportedException e)
            {
                Console.Error.WriteLine($"{Verb.Program} check: the contracts match, but 'run' would refuse this policy: {e.Message}");
                return ExitCodes.Fault;
            }

            Console.WriteLine("contract       matches: this policy may drive this robot");
            return 0;
        }

        Console.Error.WriteLine($"{Verb.Program} check: the robot's contract differs from the policy's; 'run' would refuse it:");
        foreach (var d in differences) Console.Error.WriteLine($"  {d}");
        return ExitCodes.Fault;
    }

    private static void Print(PolicyMetadata metadata)
    {
        var c = metadata.Contract;
        var r = c.Robot;
        var i = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(i, $"policy         {metadata.Algorithm} '{metadata.RunName}' step {metadata.Step}, task '{c.Task}'"));
        Console.WriteLine($"integrity      graph and weights match the model hash {metadata.ModelHash[..16]}..., contract {c.Hash[..16]}...");
        Console.WriteLine(string.Create(i, $"robot          '{r.Robot}' at {r.ControlRateHz} Hz, contract {r.ShortHash:x16}{(r.HasImu ? ", with IMU" : "")}"));
        Console.WriteLine($"joints         {string.Join(", ", r.Joints.Select(j => j.Name))}");
        Console.WriteLine($"actuators      {string.Join(", ", r.Actuators.Select(a => $"{a.Name} ({a.Mode}, {a.CommandMin.ToString(i)}..{a.CommandMax.ToString(i)})"))}");
        Console.WriteLine(string.Create(i, $"observation    {c.ObservationSize} values: {string.Join(", ", c.Observations.Select(o => $"{o.Kind}[{o.Size}]"))}"));
        Console.WriteLine($"command        {(c.Commands.Count == 0 ? "none" : string.Join("; ", c.Commands.Select(k => $"{k.Name}: {string.Join(", ", k.Components)}")))}");
    }

    private static void Evaluate(OnnxPolicy policy, string observationsPath, string actionsPath)
    {
        var bytes = File.ReadAllBytes(observationsPath);
        var rowBytes = policy.ObservationSize * sizeof(float);
        if (bytes.Length == 0 || bytes.Length % rowBytes != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{observationsPath}: {bytes.Length} bytes is not a whole number of observations of {policy.ObservationSize} float32 values"));
        var observations = MemoryMarshal.Cast<byte, float>(bytes);
        var rows = observations.Length / policy.ObservationSize;
        var output = new float[rows * policy.ActionSize];
        for (int row = 0; row < rows; row++)
        {
            observations.Slice(row * policy.ObservationSize, policy.ObservationSize).CopyTo(policy.Observation);
            policy.Run();
            policy.Actions.AsSpan(0, policy.ActionSize).CopyTo(output.AsSpan(row * policy.ActionSize));
        }

        File.WriteAllBytes(actionsPath, MemoryMarshal.AsBytes(output.AsSpan()).ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluated      {rows} observations into {actionsPath}"));
    }
}
