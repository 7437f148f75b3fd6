using System.Diagnostics;
using Robotics.Contract;
using Robotics.Contract.Environments;
using Robotics.Contract.Observations;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Randomization;
using Robotics.Sim.Tasks;
using Robotics.Sim.Terms;

namespace Robotics.Sim.Environments;

/// <summary>
/// One simulated robot running one task, on its own copy of the model. Steps one control period at a
/// time: commands in robot units are clamped to the actuator ranges, held for physics_decimation physics
/// steps, then the observation, reward and end of episode are computed. Not thread-safe; the vector
/// environment runs each instance on one thread at a time. Steps allocate nothing (episode statistics
/// are built when an episode ends, on request).
/// </summary>
public sealed class SimEnvironment : IDisposable
{
    private readonly TaskTerms terms;
    private readonly ObservationBuilder builder;
    private readonly TermContext context;
    private readonly int[] simObservationTerms;
    private readonly float[] observation;
    private readonly float[] nextObservation;
    private readonly float[] criticObservation;
    private readonly float[] nextCriticObservation;
    private readonly float[] previousAction;
    private readonly float[] appliedAction;
    private readonly double[] actionOffset;
    private readonly double[] actionScale;
    private readonly float[] commandMin;
    private readonly float[] commandMax;
    private readonly double[] rewardWeights;
    private readonly double[] rewardSums;
    private readonly double[] rewardLast;
    private readonly int decimation;
    private readonly int maxEpisodeSteps;
    private readonly TrainingRateLimit? rateLimit;
    private Random random = new(0);
    private bool needsReset = true;
    private bool started;

    public SimEnvironment(LoadedTask task, bool randomize = true)
    {
        ArgumentNullException.ThrowIfNull(task);
        Task = task;
        Model = task.NominalModel.Clone();
        Data = new MjData(Model);
        Randomizer = new DomainRandomizer(task.NominalModel, Model, randomize ? task.Randomization.Clone() : new RandomizationConfig(), task.TaskDefinition.File,
            task.PolicyContract.Observations.Select(o => (o.Kind, o.Size)).ToList());
        terms = TaskTerms.Create(task, Model);
        builder = task.ObservationBuilder;
        context = new TermContext(Model, Data, task.Binding, task.ControlDt, task.TaskDefinition.CommandSize);

        var contract = task.PolicyContract;
        simObservationTerms = Enumerable.Range(0, contract.Observations.Count).Where(t => !builder.Handles(t)).ToArray();
        observation = new float[contract.ObservationSize];
        nextObservation = new float[contract.ObservationSize];
        criticObservation = new float[task.CriticObservationSize];
        nextCriticObservation = new float[task.CriticObservationSize];
        int actions = contract.ActionSize;
        previousAction = new float[actions];
        appliedAction = new float[actions];
        actionOffset = [.. contract.ActionOffset];
        actionScale = [.. contract.ActionScale];
        commandMin = contract.Robot.Actuators.Select(a => (float)a.CommandMin).ToArray();
        commandMax = contract.Robot.Actuators.Select(a => (float)a.CommandMax).ToArray();
        rewardWeights = task.TaskDefinition.Rewards.Select(r => r.Weight).ToArray();
        rewardSums = new double[rewardWeights.Length];
        rewardLast = new double[rewardWeights.Length];
        decimation = task.RobotDefinition.PhysicsDecimation;
        maxEpisodeSteps = task.TaskDefinition.MaxEpisodeSteps;
        if (task.TaskDefinition.Actions.MaxChangePerSecond is double maxChange)
            rateLimit = new TrainingRateLimit(contract.Robot, maxChange, task.ControlDt);
    }

    public LoadedTask Task { get; }
    public PolicyContract Contract => Task.PolicyContract;

    /// <summary>This environment's model copy (randomization rewrites it at every reset).</summary>
    public MjModel Model { get; }
    public MjData Data { get; }
    public DomainRandomizer Randomizer { get; }

    public int ObservationSize => observation.Length;
    public int ActionSize => previousAction.Length;
    public double ControlDt => Task.ControlDt;

    /// <summary>The latest observation (after the last reset or step).</summary>
    public ReadOnlySpan<float> Observation => observation;

    /// <summary>What only the value function sees, at the same moment as <see cref="Observation"/> (empty when the task has no critic observations).</summary>
    public ReadOnlySpan<float> CriticObservation => criticObservation;

    public int CriticObservationSize => criticObservation.Length;

    /// <summary>The episode's commands (targets, velocity commands), concatenated in task order.</summary>
    public ReadOnlySpan<double> Command => context.Command;

    /// <summary>The robot state as a robot would report it, filled after every reset and step.</summary>
    public RobotState State => context.State;

    /// <summary>Control steps taken in the current episode.</summary>
    public int EpisodeStep => context.EpisodeStep;

    /// <summary>Sum of rewards in the current episode.</summary>
    public double EpisodeReturn { get; private set; }

    /// <summary>Seeds the environment's random source and starts an episode.</summary>
    public void Reset(int seed)
    {
        random = new Random(seed);
        Reset();
    }

    /// <summary>
    /// Starts an episode with the next draws of the environment's random source: randomized physics,
    /// commands, then the initial state from qpos0 plus the task's noise.
    /// </summary>
    public void Reset()
    {
        Randomizer.OnReset(Data, random);
        context.ActionLatencySteps = Randomizer.LastSample.ActionLatencySteps;
        SampleCommands();
        ApplyInitialState();
        Data.Forward();
        Data.ClearWarnings();

        context.EpisodeStep = 0;
        EpisodeReturn = 0;
        Array.Clear(rewardSums);
        Array.Clear(rewardLast);
        Array.Clear(context.ActionBuffer);
        Array.Clear(context.NormalizedActionBuffer);
        Array.Clear(context.PreviousNormalizedActionBuffer);
        // Zeros stand for "no command yet", as on the robot before its first tick.
        Array.Clear(previousAction);
        foreach (var term in terms.Stateful)
            term.OnEpisodeStart(context);
        FillState();
        rateLimit?.Start(context.State);
        BuildObservation(observation);
        Randomizer.PerturbObservation(observation, random);
        BuildCriticObservation(criticObservation);
        needsReset = false;
        started = true;
    }

    /// <summary>
    /// One control step with <paramref name="action"/>: <see cref="ActionSize"/> finite values in robot units, clamped
    /// to the actuator ranges and held to the task's rate-of-change limit if it has one. They are not checked again
    /// here: a vector checks its batch once where it enters (<see cref="ActionBatch"/>), and an emulated robot's
    /// commands come through the firmware's rules, which refuse NaN and infinity.
    /// </summary>
    public StepOutcome Step(ReadOnlySpan<float> action)
    {
        if (needsReset)
            throw new InvalidOperationException("the episode is over (or never started): call Reset first");
        ApplyAction(action, rateLimit);
        foreach (var term in terms.Stateful)
            term.BeforeControlStep(context);
        Randomizer.BeforeControlStep(Data, ControlDt, random);
        for (int i = 0; i < decimation; i++)
            Data.Step();
        context.EpisodeStep++;

        if (Data.IsUnstable)
            return Unstable();

        FillState();
        context.ActionBuffer.CopyTo(previousAction, 0);
        BuildObservation(nextObservation);
        Randomizer.PerturbObservation(nextObservation, random);
        BuildCriticObservation(nextCriticObservation);

        double reward = 0;
        for (int i = 0; i < terms.Rewards.Length; i++)
        {
            double value = terms.Rewards[i].Compute(context);
            rewardLast[i] = value;
            rewardSums[i] += rewardWeights[i] * value;
            reward += rewardWeights[i] * value;
        }
        if (!double.IsFinite(reward) || !AllFinite(nextObservation) || !AllFinite(nextCriticObservation))
            return Unstable();
        nextObservation.CopyTo(observation, 0);
        nextCriticObservation.CopyTo(criticObservation, 0);

        bool terminated = false;
        foreach (var term in terms.Terminations)
            terminated |= term.IsMet(context);
        bool truncated = !terminated && context.EpisodeStep >= maxEpisodeSteps;

        context.NormalizedActionBuffer.CopyTo(context.PreviousNormalizedActionBuffer, 0);
        ResampleCommandsIfDue();
        EpisodeReturn += reward;
        needsReset = terminated || truncated;
        return new StepOutcome((float)reward, terminated, truncated, PhysicsReset: false);
    }

    /// <summary>
    /// Applies a command and advances one control period without computing observation or reward: for
    /// driving the simulation as a robot (an emulator), with <see cref="ReadState"/> to read it back.
    /// Episodes never end here. No rate limit: on a robot the runtime's safety layer applies its own.
    /// </summary>
    public void StepControlPeriod(ReadOnlySpan<float> command)
    {
        if (!started)
            throw new InvalidOperationException("call Reset before stepping");
        ApplyAction(command, rateLimit: null);
        Randomizer.BeforeControlStep(Data, ControlDt, random);
        for (int i = 0; i < decimation; i++)
            Data.Step();
        context.EpisodeStep++;
        if (Data.IsUnstable)
        {
            Data.ClearWarnings();
            Reset();
            PhysicsResets++;
            return;
        }
        context.ActionBuffer.CopyTo(previousAction, 0);
        FillState();
    }

    /// <summary>Physics resets this environment went through (instability, NaN).</summary>
    public long PhysicsResets { get; private set; }

    /// <summary>Copies the current robot state (contract order, SI units) into <paramref name="into"/>.</summary>
    public void ReadState(RobotState into) => context.State.CopyTo(into);

    /// <summary>
    /// Statistics of the current (usually just finished) episode: <c>reward/NAME</c>, the weighted sum of
    /// each reward term, and <c>final/NAME</c>, its unweighted value at the last step (e.g. the final
    /// distance to a target), and what terms measure beyond their reward (<c>tracking/...</c> of a velocity
    /// command). Allocates; call it once per episode.
    /// </summary>
    public IReadOnlyDictionary<string, double> EpisodeStats()
    {
        var stats = new Dictionary<string, double>(2 * rewardSums.Length);
        var rewards = Task.TaskDefinition.Rewards;
        for (int i = 0; i < rewards.Count; i++)
        {
            stats["reward/" + rewards[i].Name] = rewardSums[i];
            stats["final/" + rewards[i].Name] = rewardLast[i];
        }
        foreach (var term in terms.Statistics)
            term.WriteEpisodeStats(stats);
        return stats;
    }

    public void Dispose()
    {
        Data.Dispose();
        Model.Dispose();
    }

    private void ApplyAction(ReadOnlySpan<float> action, TrainingRateLimit? rateLimit)
    {
        Debug.Assert(action.Length == previousAction.Length, "the vector hands each environment its row of the checked batch");
        float[] clamped = context.ActionBuffer;
        double[] normalized = context.NormalizedActionBuffer;
        for (int i = 0; i < previousAction.Length; i++)
            clamped[i] = Math.Clamp(action[i], commandMin[i], commandMax[i]);

        rateLimit?.Apply(clamped);
        // Back to the policy's normalized units, for the action reward terms (action_rate, action_magnitude).
        // Commands arrive in robot units (the bridge protocol's unit, and what an emulator sends), so this round
        // trip stays: the trainer's own normalized action is not the same number. The trainer maps
        // offset + scale * a in float32, which (command - offset) / scale in double does not undo bitwise (most
        // values differ for a scale such as 0.05), and a command clamped to the actuator range or held to the rate
        // limit maps back to another value than a.
        for (int i = 0; i < previousAction.Length; i++)
            normalized[i] = (clamped[i] - actionOffset[i]) / actionScale[i];

        clamped.CopyTo(appliedAction, 0);
        Randomizer.PerturbAction(appliedAction, random);
        Span<double> ctrl = Data.Ctrl;
        int[] ids = Task.Binding.ActuatorIds;
        for (int i = 0; i < appliedAction.Length; i++)
            ctrl[ids[i]] = Math.Clamp(appliedAction[i], commandMin[i], commandMax[i]);
    }

    private StepOutcome Unstable()
    {
        // MuJoCo has already reset the state (or it holds NaN): end the episode; Observation keeps the last valid one.
        Data.ClearWarnings();
        PhysicsResets++;
        needsReset = true;
        return new StepOutcome(0f, Terminated: false, Truncated: true, PhysicsReset: true);
    }

    private void SampleCommands()
    {
        var commands = Task.TaskDefinition.Commands;
        double[] buffer = context.CommandBuffer;
        int offset = 0;
        for (int c = 0; c < commands.Count; c++)
        {
            commands[c].Sample(random, buffer.AsSpan(offset, commands[c].Size));
            offset += commands[c].Size;
        }
    }

    private void ResampleCommandsIfDue()
    {
        var commands = Task.TaskDefinition.Commands;
        int offset = 0;
        for (int c = 0; c < commands.Count; c++)
        {
            int every = commands[c].ResampleSteps;
            if (every > 0 && context.EpisodeStep % every == 0)
            {
                commands[c].Sample(random, context.CommandBuffer.AsSpan(offset, commands[c].Size));
                WriteCommandJoints(c, offset);
            }
            offset += commands[c].Size;
        }
    }

    private void ApplyInitialState()
    {
        var initial = Task.TaskDefinition.InitialState;
        Span<double> qpos = Data.Qpos;
        Span<double> qvel = Data.Qvel;
        if (initial.PositionNoise > 0)
        {
            // Hinge and slide joints only: noise on a free or ball joint's quaternion would denormalize it.
            var types = Model.JntType;
            var addresses = Model.JntQposadr;
            for (int j = 0; j < Model.Njnt; j++)
            {
                if ((MjtJoint)types[j] is MjtJoint.Hinge or MjtJoint.Slide)
                    qpos[addresses[j]] += Uniform(-initial.PositionNoise, initial.PositionNoise);
            }
        }
        if (initial.VelocityNoise > 0)
        {
            for (int v = 0; v < qvel.Length; v++)
                qvel[v] += Uniform(-initial.VelocityNoise, initial.VelocityNoise);
        }
        foreach (var joint in Task.InitialJoints)
        {
            if (joint.Position is { } p)
                qpos[joint.QposAddress] = Uniform(p.Min, p.Max);
            if (joint.Velocity is { } v)
                qvel[joint.DofAddress] = Uniform(v.Min, v.Max);
        }
        int offset = 0;
        var commands = Task.TaskDefinition.Commands;
        for (int c = 0; c < commands.Count; c++)
        {
            WriteCommandJoints(c, offset);
            offset += commands[c].Size;
        }
    }

    /// <summary>Places a command's marker joints (e.g. a target on two slides) at the command's value, at rest.</summary>
    private void WriteCommandJoints(int command, int offset)
    {
        int[] addresses = Task.CommandJointAddresses[command];
        if (addresses.Length == 0)
            return;
        int[] dofs = Task.CommandJointDofAddresses[command];
        Span<double> qpos = Data.Qpos;
        Span<double> qvel = Data.Qvel;
        for (int k = 0; k < addresses.Length; k++)
        {
            qpos[addresses[k]] = context.CommandBuffer[offset + k];
            qvel[dofs[k]] = 0;
        }
    }

    private double Uniform(double min, double max) => min + (max - min) * random.NextDouble();

    private void FillState()
    {
        var binding = Task.Binding;
        var state = context.State;
        ReadOnlySpan<double> qpos = Data.Qpos;
        ReadOnlySpan<double> qvel = Data.Qvel;
        for (int i = 0; i < state.JointCount; i++)
        {
            state.JointPositions[i] = qpos[binding.JointQposAddress[i]];
            state.JointVelocities[i] = qvel[binding.JointDofAddress[i]];
            state.JointEfforts[i] = 0;
        }
        ReadOnlySpan<double> force = Data.ActuatorForce;
        for (int a = 0; a < binding.ActuatorIds.Length; a++)
            state.JointEfforts[binding.ActuatorJoint[a]] += force[binding.ActuatorIds[a]] * binding.ActuatorGear[a];

        state.Sequence = (uint)context.EpisodeStep;
        state.DeviceTimeMicros = (ulong)Math.Max(0, Data.Time * 1e6);
        state.HasImu = binding.HasImu;
        if (binding.HasImu)
            SimulatedImu.Read(Model, Data, binding, state);
    }

    private void BuildObservation(float[] into)
    {
        builder.Build(context.State, previousAction, context.Command, into);
        foreach (int t in simObservationTerms)
        {
            var term = terms.Observations[t];
            term.Write(context, into.AsSpan(builder.OffsetOf(t), term.Spec.Size));
        }
    }

    private void BuildCriticObservation(float[] into)
    {
        int offset = 0;
        foreach (var term in terms.CriticObservations)
        {
            term.Write(context, into.AsSpan(offset, term.Spec.Size));
            offset += term.Spec.Size;
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
                return false;
        }
        return true;
    }
}
