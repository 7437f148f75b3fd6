using Robotics.Contract;
using Robotics.Contract.Config;
using Robotics.Contract.Definitions;
using Robotics.Sim.Mujoco;
using Robotics.Sim.Tasks;

namespace Robotics.Sim.Terms;

/// <summary>
/// What a term factory is given: the term as written, the task, the robot and its compiled model.
/// The helpers read parameters and resolve MJCF names, raising <see cref="ConfigException"/> that name
/// the task file and the term's key on any problem.
/// </summary>
public sealed class TermArgs
{
    internal TermArgs(TermDefinition definition, TaskDefinition task, RobotBinding binding, MjModel model, MjModel nominalModel)
    {
        Definition = definition;
        Task = task;
        Binding = binding;
        Model = model;
        NominalModel = nominalModel;
    }

    public TermDefinition Definition { get; }
    public TaskDefinition Task { get; }
    public RobotBinding Binding { get; }
    public RobotDefinition Robot => Binding.Robot;

    /// <summary>The model the term will run on (an environment's copy, or the nominal one when the task is checked); ids found in it hold for every copy.</summary>
    public MjModel Model { get; }

    /// <summary>The model as compiled, never randomized: what a term that reports a randomized value relative to nominal compares with.</summary>
    public MjModel NominalModel { get; }

    public ConfigMap Parameters => Definition.Parameters;

    public ConfigException Error(string key, string problem) => Definition.Error(key, problem);

    public double Double(string key, double fallback) => Parameters.OptionalDouble(key, fallback);

    public double RequiredDouble(string key, string expected) => Parameters.Required(key, expected).AsFiniteDouble();

    public int Body(string key = "body") => Named(key, MjtObj.Body, Model.Nbody, "body");

    public int Site(string key = "site") => Named(key, MjtObj.Site, Model.Nsite, "site");

    public int Sensor(string key = "sensor") => Named(key, MjtObj.Sensor, Model.Nsensor, "sensor");

    public int SiteNamed(ConfigValue value)
    {
        string name = value.AsString();
        int id = Model.NameToId(MjtObj.Site, name);
        return id >= 0 ? id : throw value.Error($"the MJCF file has no site '{name}'; it has: {RobotBinding.NamesOf(Model, MjtObj.Site, Model.Nsite)}");
    }

    /// <summary>Names under <paramref name="key"/> (a list or one name), or every contract joint when absent.</summary>
    public IReadOnlyList<string> JointNames(string key = "joints")
    {
        var value = Parameters.Optional(key);
        if (value is null)
            return Robot.Joints.Select(j => j.Name).ToArray();
        var names = value.AsStringList();
        if (names.Count == 0)
            throw value.Error("expected at least one joint name");
        return names;
    }

    /// <summary>MJCF id of a hinge or slide joint named in this term.</summary>
    public int Joint(string name, string key) =>
        RobotBinding.RequireOneDofJoint(Model, name, Definition.File, Parameters.PathOf(key), Robot.MjcfPath);

    /// <summary>The command named under <paramref name="key"/>, or the task's only command when absent: (index, offset, size).</summary>
    public (string Name, int Offset, int Size) Command(string key = "command")
    {
        var value = Parameters.Optional(key);
        string known = Task.Commands.Count == 0 ? "the task defines none under 'commands'" : "the task defines: " + string.Join(", ", Task.Commands.Select(c => c.Name));
        int index;
        if (value is null)
        {
            if (Task.Commands.Count != 1)
                throw Error(key, $"missing; expected the name of a command ({known})");
            index = 0;
        }
        else
        {
            index = Task.CommandIndex(value.AsString());
            if (index < 0)
                throw value.Error($"unknown command '{value.AsString()}'; {known}");
        }
        return (Task.Commands[index].Name, Task.CommandOffset(index), Task.Commands[index].Size);
    }

    /// <summary>Fails unless the robot defines an IMU.</summary>
    public void RequireImu()
    {
        if (!Binding.HasImu)
            throw Error("term", $"'{Definition.Term}' reads the IMU, but robot '{Robot.Name}' defines none; add 'imu:' (a site or body) to {Robot.File}");
    }

    /// <summary>
    /// MJCF ids of the bodies or geoms named under <paramref name="key"/> (a list, or one name), with the names, in
    /// order; <paramref name="expected"/> says what belongs there when the key is missing.
    /// </summary>
    public (IReadOnlyList<string> Names, int[] Ids) NamedList(string key, MjtObj kind, string expected)
    {
        string what = kind.ToString().ToLowerInvariant();
        int count = kind switch
        {
            MjtObj.Body => Model.Nbody,
            MjtObj.Geom => Model.Ngeom,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "bodies or geoms"),
        };
        var value = Parameters.Required(key, expected);
        var names = value.AsStringList();
        if (names.Count == 0)
            throw value.Error($"expected at least one {what} name");
        var ids = new int[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            ids[i] = Model.NameToId(kind, names[i]);
            if (ids[i] < 0)
                throw value.Error($"the MJCF file has no {what} '{names[i]}'; it has: {RobotBinding.NamesOf(Model, kind, count)}");
        }
        return (names, ids);
    }

    private int Named(string key, MjtObj kind, int count, string what)
    {
        var value = Parameters.Required(key, $"the name of an MJCF {what}");
        string name = value.AsString();
        int id = Model.NameToId(kind, name);
        return id >= 0 ? id : throw value.Error($"the MJCF file has no {what} '{name}'; it has: {RobotBinding.NamesOf(Model, kind, count)}");
    }
}
