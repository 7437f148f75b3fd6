using Robotics.Contract.Environments;

namespace Robotics.SimBridge.Server;

/// <summary>One client's batch of environments on a bridge, with its reusable step buffers and counters.</summary>
internal sealed class BridgeSession : IDisposable
{
    public BridgeSession(byte[] identity, IHostedEnv host)
    {
        Identity = identity;
        Host = host;
        Step = VectorStep.For(host.Env.Spec);
    }

    /// <summary>The ROUTER routing id of the client's DEALER.</summary>
    public byte[] Identity { get; }

    public IHostedEnv Host { get; private set; }
    public VectorStep Step { get; private set; }
    public EnvSpec Spec => Host.Env.Spec;
    public bool IsReset { get; set; }
    public long LastUsedTimestamp { get; set; }

    public long BatchSteps { get; set; }
    public long EnvSteps { get; set; }
    public long Episodes { get; set; }
    public long PhysicsResets { get; set; }
    public long StepTicks { get; set; }

    /// <summary>Replaces the batch (a second Make from the same client) and clears the counters.</summary>
    public void Replace(IHostedEnv host)
    {
        Host.Dispose();
        Host = host;
        Step = VectorStep.For(host.Env.Spec);
        IsReset = false;
        BatchSteps = EnvSteps = Episodes = PhysicsResets = StepTicks = 0;
    }

    public void Dispose() => Host.Dispose();
}
