using System.Globalization;
using Robotics.Contract;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Robotics.Sim.Randomization;

/// <summary>Reads and writes the <c>randomization:</c> mapping; docs/randomization.md lists every key.</summary>
internal static class RandomizationYaml
{
    private const string Root = "randomization";

    private static readonly string[] TopKeys =
    [
        "body_mass", "geom_friction", "joint_damping", "joint_armature", "actuator_gain", "gravity",
        "com_offset", "action_latency_steps", "observation_noise_std", "observation_noise_std_by_term", "action_noise_std", "push",
    ];

    /// <summary>Per scale key: the key of its target list and whether a zero scale is allowed.</summary>
    private static readonly (string Key, string TargetsKey, bool ZeroAllowed)[] ScaleKeys =
    [
        ("body_mass", "bodies", false),
        ("geom_friction", "geoms", true),
        ("joint_damping", "joints", true),
        ("joint_armature", "joints", true),
        ("actuator_gain", "actuators", true),
    ];

    private static readonly string[] AxisNames = ["x", "y", "z"];

    public static RandomizationConfig ParseText(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, Root, Robotics.Contract.Config.YamlSyntaxError.Describe(e));
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
            return new RandomizationConfig();
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new ConfigException(file, Root, "expected a mapping of randomization keys");
        return Parse(mapping, file);
    }

    public static RandomizationConfig Parse(YamlMappingNode node, string file)
    {
        ArgumentNullException.ThrowIfNull(node);
        var reader = new Reader(file);
        reader.CheckKeys(node, Root, TopKeys);
        var config = new RandomizationConfig();
        foreach ((string key, string targetsKey, bool zeroAllowed) in ScaleKeys)
        {
            if (reader.Find(node, key) is not { } child)
                continue;
            string path = $"{Root}.{key}";
            var mapping = reader.Mapping(child, path);
            reader.CheckKeys(mapping, path, ["scale", "common_scale", targetsKey]);
            double minimum = zeroAllowed ? 0 : double.Epsilon;
            var scale = reader.Range(reader.Require(mapping, "scale", path), $"{path}.scale", minimum);
            RandomRange? common = reader.Find(mapping, "common_scale") is { } commonNode
                ? reader.Range(commonNode, $"{path}.common_scale", minimum)
                : null;
            var targets = reader.Names(reader.Find(mapping, targetsKey), $"{path}.{targetsKey}");
            var randomization = new ScaleRandomization(scale, targets, common);
            switch (key)
            {
                case "body_mass": config.BodyMass = randomization; break;
                case "geom_friction": config.GeomFriction = randomization; break;
                case "joint_damping": config.JointDamping = randomization; break;
                case "joint_armature": config.JointArmature = randomization; break;
                default: config.ActuatorGain = randomization; break;
            }
        }
        if (reader.Find(node, "gravity") is { } gravityNode)
        {
            string path = $"{Root}.gravity";
            var gravity = reader.Mapping(gravityNode, path);
            reader.CheckKeys(gravity, path, ["scale", "offset"]);
            config.Gravity = new GravityRandomization(
                reader.Axes(reader.Find(gravity, "scale"), $"{path}.scale", AxisRanges.One, double.NegativeInfinity),
                reader.Axes(reader.Find(gravity, "offset"), $"{path}.offset", AxisRanges.Zero, double.NegativeInfinity));
        }
        if (reader.Find(node, "com_offset") is { } comNode)
        {
            string path = $"{Root}.com_offset";
            var com = reader.Mapping(comNode, path);
            reader.CheckKeys(com, path, ["x", "y", "z", "bodies"]);
            config.ComOffset = new ComOffsetRandomization(
                reader.Axes(com, path, AxisRanges.Zero, double.NegativeInfinity, onlyAxes: false),
                reader.Names(reader.Find(com, "bodies"), $"{path}.bodies"));
        }
        if (reader.Find(node, "action_latency_steps") is { } latency)
            config.ActionLatencySteps = reader.IntRange(latency, $"{Root}.action_latency_steps", 0);
        if (reader.Find(node, "observation_noise_std") is { } observationNoise)
            config.ObservationNoiseStd = reader.Number(observationNoise, $"{Root}.observation_noise_std", 0);
        if (reader.Find(node, "observation_noise_std_by_term") is { } byTerm)
        {
            string path = $"{Root}.observation_noise_std_by_term";
            var stds = new Dictionary<string, double>();
            foreach (var (key, value) in reader.Mapping(byTerm, path).Children)
            {
                string kind = key is YamlScalarNode { Value: { Length: > 0 } name } ? name : throw reader.Error(path, "expected observation term names (e.g. imu_linear_acceleration) as keys");
                stds[kind] = reader.Number(value, $"{path}.{kind}", 0);
            }
            config.ObservationNoiseStdByTerm = stds;
        }
        if (reader.Find(node, "action_noise_std") is { } actionNoise)
            config.ActionNoiseStd = reader.Number(actionNoise, $"{Root}.action_noise_std", 0);
        if (reader.Find(node, "push") is { } pushNode)
            config.Push = ParsePush(reader, pushNode);
        return config;
    }

    private static PushRandomization ParsePush(Reader reader, YamlNode node)
    {
        string path = $"{Root}.push";
        var push = reader.Mapping(node, path);
        reader.CheckKeys(push, path, ["force", "interval", "duration", "bodies", "horizontal"]);
        var force = reader.Range(reader.Require(push, "force", path), $"{path}.force", 0);
        var interval = reader.Range(reader.Require(push, "interval", path), $"{path}.interval", double.Epsilon);
        double duration = reader.Number(reader.Require(push, "duration", path), $"{path}.duration", double.Epsilon);
        var bodies = reader.Names(reader.Find(push, "bodies"), $"{path}.bodies");
        bool horizontal = reader.Find(push, "horizontal") is not { } h || reader.Bool(h, $"{path}.horizontal");
        return new PushRandomization(force, interval, duration, bodies, horizontal);
    }

    public static string Write(RandomizationConfig config)
    {
        var root = new YamlMappingNode();
        foreach ((string key, string targetsKey, _) in ScaleKeys)
        {
            ScaleRandomization? scale = key switch
            {
                "body_mass" => config.BodyMass,
                "geom_friction" => config.GeomFriction,
                "joint_damping" => config.JointDamping,
                "joint_armature" => config.JointArmature,
                _ => config.ActuatorGain,
            };
            if (scale is null)
                continue;
            var mapping = new YamlMappingNode { { "scale", RangeNode(scale.Scale) } };
            if (scale.Common is { } common)
                mapping.Add("common_scale", RangeNode(common));
            if (scale.Targets.Count > 0)
                mapping.Add(targetsKey, NamesNode(scale.Targets));
            root.Add(key, mapping);
        }
        if (config.Gravity is { } gravity)
        {
            root.Add("gravity", new YamlMappingNode
            {
                { "scale", AxesNode(gravity.Scale) },
                { "offset", AxesNode(gravity.Offset) },
            });
        }
        if (config.ComOffset is { } com)
        {
            var mapping = AxesNode(com.Offset);
            if (com.Bodies.Count > 0)
                mapping.Add("bodies", NamesNode(com.Bodies));
            root.Add("com_offset", mapping);
        }
        if (config.ActionLatencySteps.Max > 0)
        {
            root.Add("action_latency_steps", FlowSequence(
                Number(config.ActionLatencySteps.Min), Number(config.ActionLatencySteps.Max)));
        }
        if (config.ObservationNoiseStd != 0)
            root.Add("observation_noise_std", Number(config.ObservationNoiseStd));
        if (config.ObservationNoiseStdByTerm.Count > 0)
        {
            var stds = new YamlMappingNode();
            foreach (var (kind, std) in config.ObservationNoiseStdByTerm.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                stds.Add(kind, Number(std));
            root.Add("observation_noise_std_by_term", stds);
        }
        if (config.ActionNoiseStd != 0)
            root.Add("action_noise_std", Number(config.ActionNoiseStd));
        if (config.Push is { } push)
        {
            var mapping = new YamlMappingNode
            {
                { "force", RangeNode(push.Force) },
                { "interval", RangeNode(push.Interval) },
                { "duration", Number(push.Duration) },
                { "horizontal", new YamlScalarNode(push.Horizontal ? "true" : "false") },
            };
            if (push.Bodies.Count > 0)
                mapping.Add("bodies", NamesNode(push.Bodies));
            root.Add("push", mapping);
        }
        if (root.Children.Count == 0)
            return "{}\n";
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        string text = writer.ToString();
        // YamlStream ends documents with a "..." marker; the text is embedded in other YAML.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlScalarNode Number(double value) => new(value.ToString("R", CultureInfo.InvariantCulture));

    private static YamlScalarNode Number(int value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static YamlSequenceNode FlowSequence(params YamlNode[] items) =>
        new(items) { Style = SequenceStyle.Flow };

    private static YamlSequenceNode RangeNode(RandomRange range) => FlowSequence(Number(range.Min), Number(range.Max));

    private static YamlMappingNode AxesNode(AxisRanges axes) => new()
    {
        { "x", RangeNode(axes.X) },
        { "y", RangeNode(axes.Y) },
        { "z", RangeNode(axes.Z) },
    };

    private static YamlSequenceNode NamesNode(IReadOnlyList<string> names) =>
        new(names.Select(n => (YamlNode)new YamlScalarNode(n) { Style = ScalarStyle.DoubleQuoted })) { Style = SequenceStyle.Flow };

    /// <summary>Typed reads that throw <see cref="ConfigException"/> naming the file and key.</summary>
    private sealed class Reader(string file)
    {
        public void CheckKeys(YamlMappingNode node, string path, string[] allowed)
        {
            foreach (var key in node.Children.Keys)
            {
                string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                if (!allowed.Contains(name))
                    throw Error($"{path}.{name}", $"expected one of {string.Join(", ", allowed)}: unknown key '{name}'");
            }
        }

        public YamlNode? Find(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public YamlNode Require(YamlMappingNode node, string key, string path) =>
            Find(node, key) ?? throw Error($"{path}.{key}", "expected a value: the key is required");

        public YamlMappingNode Mapping(YamlNode node, string path) =>
            node as YamlMappingNode ?? throw Error(path, $"expected a mapping, got {Describe(node)}");

        public double Number(YamlNode node, string path, double minimum)
        {
            if (node is not YamlScalarNode { Value: { } text }
                || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || !double.IsFinite(value))
            {
                throw Error(path, $"expected a number, got {Describe(node)}");
            }
            if (value < minimum)
                throw Error(path, $"expected a number {Bound(minimum)}, got {text}");
            return value;
        }

        public bool Bool(YamlNode node, string path) =>
            node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out bool value)
                ? value
                : throw Error(path, $"expected true or false, got {Describe(node)}");

        /// <summary>[min, max], or one number for a fixed value.</summary>
        public RandomRange Range(YamlNode node, string path, double minimum)
        {
            if (node is YamlScalarNode)
            {
                double value = Number(node, path, minimum);
                return new RandomRange(value, value);
            }
            if (node is not YamlSequenceNode { Children.Count: 2 } pair)
                throw Error(path, $"expected [min, max] (two numbers), got {Describe(node)}");
            double min = Number(pair.Children[0], path, minimum);
            double max = Number(pair.Children[1], path, minimum);
            if (min > max)
                throw Error(path, $"expected [min, max] with min <= max, got [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
            return new RandomRange(min, max);
        }

        public IntRange IntRange(YamlNode node, string path, int minimum)
        {
            IReadOnlyList<YamlNode> items = node switch
            {
                YamlScalarNode => [node, node],
                YamlSequenceNode { Children.Count: 2 } pair => [pair.Children[0], pair.Children[1]],
                _ => throw Error(path, $"expected [min, max] (two whole numbers), got {Describe(node)}"),
            };
            int min = Int(items[0], path, minimum);
            int max = Int(items[1], path, minimum);
            if (min > max)
                throw Error(path, $"expected [min, max] with min <= max, got [{min}, {max}]");
            return new IntRange(min, max);
        }

        public AxisRanges Axes(YamlNode? node, string path, AxisRanges defaults, double minimum, bool onlyAxes = true)
        {
            if (node is null)
                return defaults;
            var mapping = Mapping(node, path);
            var ranges = new RandomRange[3];
            for (int axis = 0; axis < 3; axis++)
            {
                ranges[axis] = Find(mapping, AxisNames[axis]) is { } value
                    ? Range(value, $"{path}.{AxisNames[axis]}", minimum)
                    : defaults[axis];
            }
            if (onlyAxes)
                CheckKeys(mapping, path, AxisNames);
            return new AxisRanges(ranges[0], ranges[1], ranges[2]);
        }

        public IReadOnlyList<string> Names(YamlNode? node, string path)
        {
            if (node is null)
                return [];
            if (node is not YamlSequenceNode sequence)
                throw Error(path, $"expected a list of names, got {Describe(node)}");
            var names = new List<string>(sequence.Children.Count);
            foreach (var item in sequence.Children)
            {
                if (item is not YamlScalarNode { Value: { Length: > 0 } name })
                    throw Error(path, $"expected a list of names, got an item {Describe(item)}");
                names.Add(name);
            }
            return names;
        }

        private int Int(YamlNode node, string path, int minimum)
        {
            if (node is not YamlScalarNode { Value: { } text }
                || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                throw Error(path, $"expected a whole number, got {Describe(node)}");
            }
            if (value < minimum)
                throw Error(path, $"expected a whole number >= {minimum}, got {value}");
            return value;
        }

        private static string Bound(double minimum) =>
            minimum == double.Epsilon ? "> 0" : $">= {minimum.ToString(CultureInfo.InvariantCulture)}";

        private static string Describe(YamlNode node) => node switch
        {
            YamlScalarNode scalar => $"'{scalar.Value}' (line {node.Start.Line})",
            YamlSequenceNode sequence => $"a list of {sequence.Children.Count} (line {node.Start.Line})",
            YamlMappingNode => $"a mapping (line {node.Start.Line})",
            _ => $"a {node.NodeType} (line {node.Start.Line})",
        };

        public ConfigException Error(string key, string problem) => new(file, key, problem);
    }
}
