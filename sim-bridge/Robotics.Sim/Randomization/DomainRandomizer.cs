using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Randomization;

/// <summary>
/// Randomizes one environment: its own model copy at every reset (from the nominal values, so scales
/// never compound), and actions, observations and external pushes at every control step. Every draw
/// comes from the <see cref="Random"/> passed in, so a seeded Random replays the same episode.
/// The per-step methods allocate nothing.
/// </summary>
public sealed class DomainRandomizer
{
    private const string KeyRoot = "randomization";
    private const double TimeEpsilon = 1e-9;
    private static readonly string[] AxisNames = ["x", "y", "z"];

    private readonly MjModel nominal;
    private readonly MjModel model;
    private readonly ModelTargets targets;
    private readonly string configFile;
    private readonly (string Kind, int Size)[] observationTerms;
    private RandomizationConfig config;
    private bool modelDiffersFromNominal;

    // Action latency: a ring of (latency + 1) actions; the slot after the one written was written latency steps ago.
    private float[] latencyBuffer = [];
    private int actionSize = -1;
    private int latencySteps;
    private int latencyWriteSlot;
    private bool latencyPrimed;

    // Pushes.
    private int[] pushBodies = [];
    private bool pushActive;
    private int pushBody;
    private double pushRemaining;
    private double untilNextPush = double.PositiveInfinity;
    private readonly double[] pushForce = new double[3];

    /// <param name="nominal">The model as loaded; read, never written.</param>
    /// <param name="envModel">This environment's own copy (<see cref="MjModel.Clone"/> of the nominal); rewritten at every reset.</param>
    /// <param name="config">The ranges; names in it are checked against the model.</param>
    /// <param name="configFile">The file the config came from, named in errors about it.</param>
    /// <param name="observationTerms">The observation's terms in order (kind, size), for noise per term; none: the config may not set it.</param>
    public DomainRandomizer(MjModel nominal, MjModel envModel, RandomizationConfig config, string configFile = KeyRoot,
        IReadOnlyList<(string Kind, int Size)>? observationTerms = null)
    {
        ArgumentNullException.ThrowIfNull(nominal);
        ArgumentNullException.ThrowIfNull(envModel);
        ArgumentNullException.ThrowIfNull(config);
        if (ReferenceEquals(nominal, envModel))
            throw new ArgumentException("The environment needs its own model copy (MjModel.Clone()); the nominal model must stay unchanged.", nameof(envModel));
        if (nominal.Nq != envModel.Nq || nominal.Nv != envModel.Nv || nominal.Nu != envModel.Nu
            || nominal.Nbody != envModel.Nbody || nominal.Ngeom != envModel.Ngeom || nominal.Njnt != envModel.Njnt)
        {
            throw new ArgumentException("The environment model is not a copy of the nominal model (different sizes).", nameof(envModel));
        }
        this.nominal = nominal;
        model = envModel;
        targets = new ModelTargets(envModel);
        this.configFile = configFile;
        this.observationTerms = observationTerms?.ToArray() ?? [];
        Validate(config);
        this.config = config;
    }

    /// <summary>The ranges in use; a new config (or a change to this one) applies from the next reset or step.</summary>
    public RandomizationConfig Config
    {
        get => config;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Validate(value);
            config = value;
        }
    }

    /// <summary>What the last <see cref="OnReset"/> applied.</summary>
    public RandomizationSample LastSample { get; private set; } = RandomizationSample.None;

    /// <summary>True while a push force is applied.</summary>
    public bool PushActive => pushActive;

    /// <summary>Pushes started since the last reset.</summary>
    public int PushCount { get; private set; }

    /// <summary>
    /// Restores the nominal physics, samples this episode's values, applies them, recomputes derived
    /// quantities (mj_setConst) and resets <paramref name="data"/> (mj_resetData). Call it first when
    /// an episode starts, before setting the initial state.
    /// </summary>
    public void OnReset(MjData data, Random rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        if (!ReferenceEquals(data.Model, model))
            throw new ArgumentException("The data belongs to another model than this randomizer's environment model.", nameof(data));
        RandomizationConfig current = config;
        Validate(current);

        RestoreNominal();
        var values = new Dictionary<string, double>();
        bool physics = false;
        physics |= ScaleBodyMass(current.BodyMass, values, rng);
        physics |= ScaleGeomFriction(current.GeomFriction, values, rng);
        physics |= ScaleJointDofs(current.JointDamping, "joint_damping", model.DofDamping, values, rng);
        physics |= ScaleJointDofs(current.JointArmature, "joint_armature", model.DofArmature, values, rng);
        physics |= ScaleActuatorGain(current.ActuatorGain, values, rng);
        physics |= ApplyGravity(current.Gravity, values, rng);
        physics |= ApplyComOffset(current.ComOffset, values, rng);

        latencySteps = current.ActionLatencySteps.Sample(rng);
        values["action_latency_steps"] = latencySteps;
        ResetLatencyBuffer();
        ResetPushes(current.Push, rng);

        if (physics || modelDiffersFromNominal)
            model.SetConst(data);
        modelDiffersFromNominal = physics;
        data.Reset();
        LastSample = new RandomizationSample(values, latencySteps);
    }

    /// <summary>
    /// Adds action noise, then delays the action by this episode's latency of k control steps: the
    /// action of step t is applied at step t + k, and the first k steps of an episode repeat its first
    /// action (there is nothing older to apply).
    /// </summary>
    public void PerturbAction(Span<float> action, Random rng)
    {
        GaussianNoise.Add(action, config.ActionNoiseStd, rng);
        if (latencySteps == 0)
            return;
        if (action.Length != actionSize || latencyBuffer.Length < (latencySteps + 1) * action.Length)
        {
            // First step with this action size or a longer latency: the only allocation, never repeated.
            actionSize = action.Length;
            latencyBuffer = new float[(latencySteps + 1) * actionSize];
            latencyWriteSlot = 0;
            latencyPrimed = false;
        }
        int slots = latencySteps + 1;
        if (!latencyPrimed)
        {
            for (int slot = 0; slot < slots; slot++)
                action.CopyTo(latencyBuffer.AsSpan(slot * actionSize, actionSize));
            latencyPrimed = true;
        }
        int readSlot = (latencyWriteSlot + 1) % slots;
        action.CopyTo(latencyBuffer.AsSpan(latencyWriteSlot * actionSize, actionSize));
        latencyBuffer.AsSpan(readSlot * actionSize, actionSize).CopyTo(action);
        latencyWriteSlot = readSlot;
    }

    /// <summary>Adds observation noise: each term at its own noise where the config gives one; one draw per element in order, none for a term whose noise is 0.</summary>
    public void PerturbObservation(Span<float> observation, Random rng)
    {
        var byTerm = config.ObservationNoiseStdByTerm;
        if (byTerm.Count == 0)
        {
            GaussianNoise.Add(observation, config.ObservationNoiseStd, rng);
            return;
        }

        int offset = 0;
        for (int t = 0; t < observationTerms.Length; t++) // an array, not foreach over an interface: no enumerator per step
        {
            var (kind, size) = observationTerms[t];
            double std = byTerm.TryGetValue(kind, out double own) ? own : config.ObservationNoiseStd;
            GaussianNoise.Add(observation.Slice(offset, size), std, rng);
            offset += size;
        }
    }

    /// <summary>
    /// Starts and ends pushes; call once before the physics steps of each control step of
    /// <paramref name="controlDt"/> seconds. A push adds its force to xfrc_applied and removes it when it ends.
    /// </summary>
    public void BeforeControlStep(MjData data, double controlDt, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(controlDt);
        PushRandomization? push = config.Push;
        if (pushActive && (pushRemaining <= TimeEpsilon || push is null))
            EndPush(data);
        if (push is null || pushBodies.Length == 0)
            return;
        if (!pushActive && untilNextPush <= TimeEpsilon)
            StartPush(data, push, rng);
        if (pushActive)
            pushRemaining -= controlDt;
        untilNextPush -= controlDt;
    }

    private void Validate(RandomizationConfig candidate)
    {
        Validate(candidate, targets, configFile);
        foreach (string kind in candidate.ObservationNoiseStdByTerm.Keys)
        {
            if (!observationTerms.Any(t => t.Kind == kind))
                throw new Robotics.Contract.ConfigException(configFile, $"{KeyRoot}.observation_noise_std_by_term.{kind}",
                    $"the task does not observe '{kind}'; its observations are {(observationTerms.Length == 0 ? "(none)" : string.Join(", ", observationTerms.Select(t => t.Kind).Distinct()))}");
        }
    }

    /// <summary>Checks that every name in <paramref name="config"/> is an object of the model; see <see cref="RandomizationConfig.Validate"/>.</summary>
    internal static void Validate(RandomizationConfig config, ModelTargets targets, string file)
    {
        Resolve(config.BodyMass, MjtObj.Body, "body_mass", "bodies", targets, file);
        Resolve(config.GeomFriction, MjtObj.Geom, "geom_friction", "geoms", targets, file);
        Resolve(config.JointDamping, MjtObj.Joint, "joint_damping", "joints", targets, file);
        Resolve(config.JointArmature, MjtObj.Joint, "joint_armature", "joints", targets, file);
        Resolve(config.ActuatorGain, MjtObj.Actuator, "actuator_gain", "actuators", targets, file);
        if (config.ComOffset is { } com)
            targets.Resolve(MjtObj.Body, com.Bodies, $"{KeyRoot}.com_offset.bodies", file);
        if (config.Push is { } push)
            targets.Resolve(MjtObj.Body, push.Bodies, $"{KeyRoot}.push.bodies", file);
        if (config.ActionLatencySteps.Min < 0)
            throw new Robotics.Contract.ConfigException(file, $"{KeyRoot}.action_latency_steps", $"expected whole numbers >= 0, got {config.ActionLatencySteps}");
        if (config.ObservationNoiseStd < 0 || !double.IsFinite(config.ObservationNoiseStd))
            throw new Robotics.Contract.ConfigException(file, $"{KeyRoot}.observation_noise_std", $"expected a number >= 0, got {config.ObservationNoiseStd}");
        foreach (var (kind, std) in config.ObservationNoiseStdByTerm)
        {
            if (std < 0 || !double.IsFinite(std))
                throw new Robotics.Contract.ConfigException(file, $"{KeyRoot}.observation_noise_std_by_term.{kind}", $"expected a number >= 0, got {std}");
        }
        if (config.ActionNoiseStd < 0 || !double.IsFinite(config.ActionNoiseStd))
            throw new Robotics.Contract.ConfigException(file, $"{KeyRoot}.action_noise_std", $"expected a number >= 0, got {config.ActionNoiseStd}");
        if (config.Push is { Duration: <= 0 or double.NaN } badPush)
            throw new Robotics.Contract.ConfigException(file, $"{KeyRoot}.push.duration", $"expected a number > 0, got {badPush.Duration}");
        if (config.Push is { Interval.Min: <= 0 } shortPush)
            throw new Robotics.Contract.ConfigException(file, $"{KeyRoot}.push.interval", $"expected numbers > 0, got {shortPush.Interval}");
    }

    private static int[] Resolve(ScaleRandomization? scale, MjtObj kind, string key, string targetsKey, ModelTargets targets, string file) =>
        scale is null ? [] : targets.Resolve(kind, scale.Targets, $"{KeyRoot}.{key}.{targetsKey}", file);

    private int[] Resolve(ScaleRandomization? scale, MjtObj kind, string key, string targetsKey) =>
        Resolve(scale, kind, key, targetsKey, targets, configFile);

    private void RestoreNominal()
    {
        nominal.BodyMass.CopyTo(model.BodyMass);
        nominal.BodyInertia.CopyTo(model.BodyInertia);
        nominal.BodyIpos.CopyTo(model.BodyIpos);
        nominal.GeomFriction.CopyTo(model.GeomFriction);
        nominal.DofDamping.CopyTo(model.DofDamping);
        nominal.DofArmature.CopyTo(model.DofArmature);
        nominal.ActuatorGainprm.CopyTo(model.ActuatorGainprm);
        nominal.ActuatorBiasprm.CopyTo(model.ActuatorBiasprm);
        nominal.Gravity.CopyTo(model.Gravity);
    }

    private bool ScaleBodyMass(ScaleRandomization? options, Dictionary<string, double> values, Random rng)
    {
        if (options is null)
            return false;
        Span<double> mass = model.BodyMass;
        Span<double> inertia = model.BodyInertia;
        double common = SampleCommon(options, "body_mass", values, rng);
        foreach (int body in Resolve(options, MjtObj.Body, "body_mass", "bodies"))
        {
            double scale = common * options.Scale.Sample(rng);
            mass[body] *= scale;
            for (int axis = 0; axis < 3; axis++)
                inertia[body * 3 + axis] *= scale;
            values[$"body_mass/{targets.Name(MjtObj.Body, body)}"] = mass[body];
        }
        return true;
    }

    private bool ScaleGeomFriction(ScaleRandomization? options, Dictionary<string, double> values, Random rng)
    {
        if (options is null)
            return false;
        Span<double> friction = model.GeomFriction;
        double common = SampleCommon(options, "geom_friction", values, rng);
        foreach (int geom in Resolve(options, MjtObj.Geom, "geom_friction", "geoms"))
        {
            // Sliding friction only: torsional and rolling friction stay nominal.
            friction[geom * 3] *= common * options.Scale.Sample(rng);
            values[$"geom_friction/{targets.Name(MjtObj.Geom, geom)}"] = friction[geom * 3];
        }
        return true;
    }

    private bool ScaleJointDofs(ScaleRandomization? options, string key, Span<double> dofValues,
                                Dictionary<string, double> values, Random rng)
    {
        if (options is null)
            return false;
        double common = SampleCommon(options, key, values, rng);
        foreach (int joint in Resolve(options, MjtObj.Joint, key, "joints"))
        {
            double scale = common * options.Scale.Sample(rng);
            (int first, int count) = targets.JointDofs(joint);
            for (int dof = first; dof < first + count; dof++)
                dofValues[dof] *= scale;
            values[$"{key}/{targets.Name(MjtObj.Joint, joint)}"] = dofValues[first];
        }
        return true;
    }

    private bool ScaleActuatorGain(ScaleRandomization? options, Dictionary<string, double> values, Random rng)
    {
        if (options is null)
            return false;
        Span<double> gain = model.ActuatorGainprm;
        Span<double> bias = model.ActuatorBiasprm;
        Span<int> biasType = model.ActuatorBiastype;
        double common = SampleCommon(options, "actuator_gain", values, rng);
        foreach (int actuator in Resolve(options, MjtObj.Actuator, "actuator_gain", "actuators"))
        {
            double scale = common * options.Scale.Sample(rng);
            double nominalGain = gain[actuator * 10];
            gain[actuator * 10] = nominalGain * scale;
            // A position servo has bias = -kp * length and a velocity servo -kv * velocity: scaling only
            // the gain would move the servo's set point, so the matching bias term is scaled with it.
            if (biasType[actuator] == (int)MjtBias.Affine && nominalGain != 0)
            {
                for (int term = 1; term <= 2; term++)
                {
                    if (bias[actuator * 10 + term] == -nominalGain)
                        bias[actuator * 10 + term] *= scale;
                }
            }
            values[$"actuator_gain/{targets.Name(MjtObj.Actuator, actuator)}"] = gain[actuator * 10];
        }
        return true;
    }

    /// <summary>
    /// The shared factor of a scale key, drawn before its targets' own and recorded as <c>KEY@common</c>; 1 without
    /// <c>common_scale</c>, drawing nothing (so configs without it keep their draws).
    /// </summary>
    private static double SampleCommon(ScaleRandomization options, string key, Dictionary<string, double> values, Random rng)
    {
        if (options.Common is not { } range)
            return 1.0;
        double common = range.Sample(rng);
        values[$"{key}@common"] = common;
        return common;
    }

    private bool ApplyGravity(GravityRandomization? options, Dictionary<string, double> values, Random rng)
    {
        if (options is null)
            return false;
        Span<double> gravity = model.Gravity;
        for (int axis = 0; axis < 3; axis++)
        {
            gravity[axis] = gravity[axis] * options.Scale[axis].Sample(rng) + options.Offset[axis].Sample(rng);
            values[$"gravity/{AxisNames[axis]}"] = gravity[axis];
        }
        return true;
    }

    private bool ApplyComOffset(ComOffsetRandomization? options, Dictionary<string, double> values, Random rng)
    {
        if (options is null)
            return false;
        Span<double> ipos = model.BodyIpos;
        foreach (int body in targets.Resolve(MjtObj.Body, options.Bodies, $"{KeyRoot}.com_offset.bodies", configFile))
        {
            for (int axis = 0; axis < 3; axis++)
            {
                double offset = options.Offset[axis].Sample(rng);
                ipos[body * 3 + axis] += offset;
                values[$"com_offset/{targets.Name(MjtObj.Body, body)}/{AxisNames[axis]}"] = offset;
            }
        }
        return true;
    }

    private void ResetLatencyBuffer()
    {
        latencyWriteSlot = 0;
        latencyPrimed = false;
        if (latencySteps > 0 && actionSize >= 0 && latencyBuffer.Length < (latencySteps + 1) * actionSize)
            latencyBuffer = new float[(latencySteps + 1) * actionSize];
    }

    private void ResetPushes(PushRandomization? push, Random rng)
    {
        // mj_resetData clears xfrc_applied, so an active push simply ends here.
        pushActive = false;
        PushCount = 0;
        if (push is null)
        {
            pushBodies = [];
            untilNextPush = double.PositiveInfinity;
            return;
        }
        pushBodies = push.Bodies.Count == 0
            ? (model.Nbody > 1 ? [1] : [])
            : targets.Resolve(MjtObj.Body, push.Bodies, $"{KeyRoot}.push.bodies", configFile);
        untilNextPush = push.Interval.Sample(rng);
    }

    private void StartPush(MjData data, PushRandomization push, Random rng)
    {
        pushBody = pushBodies.Length == 1 ? pushBodies[0] : pushBodies[rng.Next(pushBodies.Length)];
        double magnitude = push.Force.Sample(rng);
        double angle = 2 * Math.PI * rng.NextDouble();
        double z = push.Horizontal ? 0 : 2 * rng.NextDouble() - 1;
        double planar = Math.Sqrt(1 - z * z);
        pushForce[0] = magnitude * planar * Math.Cos(angle);
        pushForce[1] = magnitude * planar * Math.Sin(angle);
        pushForce[2] = magnitude * z;
        Span<double> xfrc = data.XfrcApplied.Slice(pushBody * 6, 3);
        for (int axis = 0; axis < 3; axis++)
            xfrc[axis] += pushForce[axis];
        pushActive = true;
        pushRemaining = push.Duration;
        untilNextPush = push.Interval.Sample(rng);
        PushCount++;
    }

    private void EndPush(MjData data)
    {
        Span<double> xfrc = data.XfrcApplied.Slice(pushBody * 6, 3);
        for (int axis = 0; axis < 3; axis++)
            xfrc[axis] -= pushForce[axis];
        pushActive = false;
    }
}
