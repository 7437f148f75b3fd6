using YamlDotNet.RepresentationModel;

namespace Robotics.Sim.Randomization;

/// <summary>
/// The ranges domain randomization samples from. Everything is off by default. Mutable so that a
/// curriculum can widen ranges while training runs: a <see cref="DomainRandomizer"/> reads its config
/// at every reset (physics, latency) and every step (noise, pushes).
/// </summary>
public sealed class RandomizationConfig
{
    // Per reset (physics of the episode).

    /// <summary>Body mass scale; the body's inertia is scaled by the same factor. Targets: body names.</summary>
    public ScaleRandomization? BodyMass { get; set; }

    /// <summary>Geom sliding-friction scale. Targets: geom names.</summary>
    public ScaleRandomization? GeomFriction { get; set; }

    /// <summary>Joint damping scale (all DoFs of the joint). Targets: joint names.</summary>
    public ScaleRandomization? JointDamping { get; set; }

    /// <summary>Joint armature scale (all DoFs of the joint). Targets: joint names.</summary>
    public ScaleRandomization? JointArmature { get; set; }

    /// <summary>Actuator gain scale (gainprm[0]; a servo's matching biasprm too). Targets: actuator names.</summary>
    public ScaleRandomization? ActuatorGain { get; set; }

    public GravityRandomization? Gravity { get; set; }

    public ComOffsetRandomization? ComOffset { get; set; }

    /// <summary>Delay of the applied action in whole control steps, sampled per episode.</summary>
    public IntRange ActionLatencySteps { get; set; } = new(0, 0);

    // Per step.

    /// <summary>Standard deviation of Gaussian noise added to every observation element (observation units).</summary>
    public double ObservationNoiseStd { get; set; }

    /// <summary>
    /// Per observation term (by its kind, e.g. imu_linear_acceleration): the noise of that term's elements in place of
    /// <see cref="ObservationNoiseStd"/>, for sensors whose noise differs by orders of magnitude (an accelerometer's in
    /// m/s² against an encoder's in rad). A kind the task does not observe is refused.
    /// </summary>
    public IReadOnlyDictionary<string, double> ObservationNoiseStdByTerm { get; set; } = new Dictionary<string, double>();

    /// <summary>Standard deviation of Gaussian noise added to every action element (action units).</summary>
    public double ActionNoiseStd { get; set; }

    public PushRandomization? Push { get; set; }

    /// <summary>True when nothing is randomized.</summary>
    public bool IsOff =>
        BodyMass is null && GeomFriction is null && JointDamping is null && JointArmature is null
        && ActuatorGain is null && Gravity is null && ComOffset is null && ActionLatencySteps.Max == 0
        && ObservationNoiseStd == 0 && ObservationNoiseStdByTerm.Values.All(std => std == 0) && ActionNoiseStd == 0 && Push is null;

    /// <summary>
    /// Reads the mapping under a task's <c>randomization:</c> key. Throws <see cref="Robotics.Contract.ConfigException"/>
    /// naming <paramref name="file"/> and the key (<c>randomization.body_mass.scale</c>) for unknown keys,
    /// wrong types and empty or inverted ranges.
    /// </summary>
    public static RandomizationConfig Parse(YamlMappingNode node, string file) => RandomizationYaml.Parse(node, file);

    /// <summary>Reads YAML text holding the randomization mapping itself (as <see cref="ToYaml"/> writes it).</summary>
    public static RandomizationConfig ParseYaml(string yaml, string file) => RandomizationYaml.ParseText(yaml, file);

    /// <summary>The config as YAML (the mapping under <c>randomization:</c>); <see cref="ParseYaml"/> reads it back.</summary>
    public string ToYaml() => RandomizationYaml.Write(this);

    /// <summary>
    /// Checks the config against a model: every body, geom, joint and actuator it names must exist.
    /// Throws <see cref="Robotics.Contract.ConfigException"/> naming <paramref name="file"/> and the key
    /// (<c>randomization.body_mass.bodies</c>) and listing the model's names.
    /// </summary>
    public void Validate(Robotics.Sim.Mujoco.MjModel model, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        DomainRandomizer.Validate(this, new ModelTargets(model), file);
    }

    /// <summary>A copy that later changes to this config do not affect.</summary>
    public RandomizationConfig Clone() => (RandomizationConfig)MemberwiseClone();
}
