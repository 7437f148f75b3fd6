using System.Text.Json;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.SimBridge.Protocol;

namespace Robotics.SimBridge.Client;

/// <summary>
/// A bridge's SpecReply arrives over the network: before the client sizes its buffers from it, its sizes must be
/// bounded and agree with each other and with the contract it sends, or the batch is refused with what was wrong.
/// </summary>
public static class SpecReplyCheck
{
    /// <summary>More floats per critic observation than any task needs; a bound on what a reply may make the client allocate.</summary>
    public const int MaxCriticObservationSize = 1 << 16;

    public static EnvSpec ToSpec(SpecReply reply, MakeRequest make, string endpoint, long maxReplyBytes = BridgeClientOptions.DefaultMaxReplyBytes)
    {
        PolicyContract contract;
        try
        {
            contract = PolicyContract.FromJson(reply.ContractJson);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            throw Refused(endpoint, $"its contract_json is not a policy contract ({e.Message})");
        }

        if (reply.NumEnvs < 1 || reply.NumEnvs > BridgeProtocol.MaxNumEnvs || (make.NumEnvs > 0 && reply.NumEnvs != make.NumEnvs))
            throw Refused(endpoint, $"num_envs {reply.NumEnvs} (asked for {(make.NumEnvs > 0 ? make.NumEnvs.ToString() : "the bridge's default")}, at most {BridgeProtocol.MaxNumEnvs})");
        if (reply.ObservationSize != contract.ObservationSize)
            throw Refused(endpoint, $"observation_size {reply.ObservationSize}, where its contract's observations add up to {contract.ObservationSize}");
        if (reply.ActionSize != contract.ActionSize || reply.ActionLow.Length != 4 * contract.ActionSize || reply.ActionHigh.Length != 4 * contract.ActionSize)
            throw Refused(endpoint, $"action_size {reply.ActionSize} with {reply.ActionLow.Length} and {reply.ActionHigh.Length} bytes of limits, where its contract has {contract.ActionSize} actuators");
        if (reply.CriticObservationSize < 0 || reply.CriticObservationSize > MaxCriticObservationSize)
            throw Refused(endpoint, $"critic_observation_size {reply.CriticObservationSize} (0..{MaxCriticObservationSize})");
        if (!double.IsFinite(reply.ControlDt) || reply.ControlDt <= 0 || reply.MaxEpisodeSteps < 1)
            throw Refused(endpoint, $"control_dt {reply.ControlDt} and max_episode_steps {reply.MaxEpisodeSteps} (a positive step and at least 1 step)");

        long replyBytes = LargestStepReplyFloats(reply.NumEnvs, reply.ObservationSize, reply.CriticObservationSize) * sizeof(float);
        if (replyBytes > maxReplyBytes)
            throw new BridgeException(
                $"bridge {endpoint}: a step of {reply.NumEnvs} environments with {reply.ObservationSize} observations and {reply.CriticObservationSize} critic observations " +
                $"each can take {Mib(replyBytes)} in one reply, more than the {Mib(maxReplyBytes)} this client takes from a bridge; " +
                "ask for fewer environments per bridge (more bridges) or raise the client's MaxReplyBytes")
            {
                Endpoint = endpoint,
            };

        return new EnvSpec(
            reply.NumEnvs,
            reply.ObservationSize,
            reply.ActionSize,
            FloatBytes.ToFloats(reply.ActionLow),
            FloatBytes.ToFloats(reply.ActionHigh),
            contract,
            reply.ControlDt,
            reply.MaxEpisodeSteps,
            reply.CriticObservationSize);
    }

    /// <summary>
    /// The floats of a step reply in which every environment finishes its episode: observations, final observations,
    /// critic observations and final critic observations, and a reward each. Flags and episode records come on top.
    /// </summary>
    public static long LargestStepReplyFloats(long numEnvs, long observationSize, long criticObservationSize) =>
        numEnvs * (2 * (observationSize + criticObservationSize) + 1);

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MiB";

    private static BridgeException Refused(string endpoint, string problem) =>
        new($"bridge {endpoint} described its batch inconsistently: {problem}; is it a robotics sim bridge of this version?") { Endpoint = endpoint };
}
