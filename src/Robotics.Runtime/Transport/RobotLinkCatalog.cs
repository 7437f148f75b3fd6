using Robotics.Contract;

namespace Robotics.Runtime.Transport;

/// <summary>What a link factory is told about the run it serves.</summary>
/// <param name="Policy">The contract of the policy that will drive the robot.</param>
/// <param name="ControlRateHz">The rate commands will be sent at.</param>
public sealed record RobotLinkRequest(PolicyContract Policy, double ControlRateHz);

/// <summary>A link made, not yet opened, and the robot's full contract where the link can tell it (a simulated robot can).</summary>
public sealed record RobotLinkMade(IRobotTransport Transport, RobotContract? RobotContract = null);

/// <summary>Makes one kind of link from its address.</summary>
public delegate RobotLinkMade RobotLinkFactory(RobotLinkAddress address, RobotLinkRequest request);

/// <summary>
/// The kinds of link a program offers, by scheme. A program registers the ones it carries (the robot program:
/// serial and loopback; the full command line also the simulated robot), so a new transport is one class and one
/// <see cref="Register"/> call.
/// </summary>
public sealed class RobotLinkCatalog
{
    private readonly Dictionary<string, (string Usage, RobotLinkFactory Factory)> kinds = new(StringComparer.Ordinal);

    /// <summary>A catalog with the in-process stand-in robot, <c>loopback</c>.</summary>
    public static RobotLinkCatalog WithLoopback() => new RobotLinkCatalog().Register("loopback", "loopback (in-process stand-in robot, no physics)", (address, request) =>
    {
        address.RequireOnly();
        if (address.Target.Length > 0)
            throw new RobotLinkException($"link '{address.Text}': loopback takes no target; write just 'loopback'");
        return new RobotLinkMade(new LoopbackRobotTransport(request.Policy.Robot));
    });

    /// <param name="scheme">Lower-case name before the colon.</param>
    /// <param name="usage">How a user writes it, shown when a link string names no known scheme.</param>
    public RobotLinkCatalog Register(string scheme, string usage, RobotLinkFactory factory)
    {
        kinds[scheme] = (usage, factory);
        return this;
    }

    /// <summary>How each registered link is written, for help texts and error messages.</summary>
    public IEnumerable<string> Usages => kinds.Values.Select(k => k.Usage);

    /// <summary>Makes the link that <paramref name="text"/> names; throws <see cref="RobotLinkException"/> naming the known kinds when it names none.</summary>
    public RobotLinkMade Make(string text, RobotLinkRequest request)
    {
        var address = RobotLinkAddress.Parse(text);
        if (!kinds.TryGetValue(address.Scheme, out var kind))
            throw new RobotLinkException($"unknown link '{text}'; this program knows: {string.Join("; ", Usages)}");
        return kind.Factory(address, request);
    }
}
