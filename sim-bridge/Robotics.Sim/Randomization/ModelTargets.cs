using Robotics.Contract;
using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Randomization;

/// <summary>Names of a model's objects by kind, resolved once, so resets look targets up without native calls.</summary>
internal sealed class ModelTargets
{
    private readonly Dictionary<MjtObj, string[]> names = [];
    private readonly Dictionary<MjtObj, Dictionary<string, int>> ids = [];
    private readonly MjModel model;

    public ModelTargets(MjModel model)
    {
        this.model = model;
        Add(MjtObj.Body, model.Nbody);
        Add(MjtObj.Geom, model.Ngeom);
        Add(MjtObj.Joint, model.Njnt);
        Add(MjtObj.Actuator, model.Nu);
    }

    /// <summary>The name used in sample keys: the model's name, or "#id" for unnamed objects.</summary>
    public string Name(MjtObj kind, int id) => names[kind][id];

    /// <summary>
    /// Ids of the named objects; every object of the kind when <paramref name="requested"/> is empty
    /// (bodies: all but the world).
    /// </summary>
    public int[] Resolve(MjtObj kind, IReadOnlyList<string> requested, string key, string file)
    {
        if (requested.Count == 0)
        {
            int first = kind == MjtObj.Body ? 1 : 0;
            return Enumerable.Range(first, names[kind].Length - first).ToArray();
        }
        var result = new int[requested.Count];
        for (int i = 0; i < requested.Count; i++)
        {
            if (!ids[kind].TryGetValue(requested[i], out result[i]))
            {
                string known = string.Join(", ", ids[kind].Keys.Take(40));
                throw new ConfigException(file, key,
                    $"expected a {KindName(kind)} of the model, got '{requested[i]}' (the model has: {known})");
            }
        }
        return result;
    }

    /// <summary>The first of the (up to 6) DoFs a joint moves, and how many.</summary>
    public (int First, int Count) JointDofs(int joint) =>
        ((MjtJoint)model.JntType[joint]) switch
        {
            MjtJoint.Free => (model.JntDofadr[joint], 6),
            MjtJoint.Ball => (model.JntDofadr[joint], 3),
            _ => (model.JntDofadr[joint], 1),
        };

    private static string KindName(MjtObj kind) => kind.ToString().ToLowerInvariant();

    private void Add(MjtObj kind, int count)
    {
        var kindNames = new string[count];
        var kindIds = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int id = 0; id < count; id++)
        {
            string? name = model.IdToName(kind, id);
            kindNames[id] = string.IsNullOrEmpty(name) ? $"#{id}" : name;
            if (!string.IsNullOrEmpty(name))
                kindIds[name] = id;
        }
        names[kind] = kindNames;
        ids[kind] = kindIds;
    }
}
