using Robotics.Training.Algorithms;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.TypeInspectors;

namespace Robotics.Training.Configuration;

/// <summary>
/// Shows YamlDotNet each registered algorithm's section as a key of <see cref="TrainingConfig"/>, right after
/// <c>normalization:</c>, where the sections have always been written, so that configs read and write as before
/// while the sections come from <see cref="AlgorithmRegistry"/> alone.
/// </summary>
internal sealed class AlgorithmSectionsTypeInspector(ITypeInspector inner) : TypeInspectorSkeleton
{
    /// <summary>The key the sections follow.</summary>
    public const string After = "normalization";

    public override IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container)
    {
        foreach (var property in inner.GetProperties(type, container))
        {
            yield return property;
            if (type == typeof(TrainingConfig) && property.Name == After)
            {
                foreach (var registration in AlgorithmRegistry.All) yield return new Section(registration);
            }
        }
    }

    public override string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

    public override string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);

    /// <summary>One algorithm's section: read from and written to the config's options of that algorithm.</summary>
    private sealed class Section(AlgorithmRegistration registration) : IPropertyDescriptor
    {
        public string Name => registration.Name;
        public bool AllowNulls => false;
        public bool CanWrite => true;
        public Type Type => registration.OptionsType;
        public Type? TypeOverride { get; set; }
        public int Order { get; set; }
        public ScalarStyle ScalarStyle { get; set; } = ScalarStyle.Any;
        public bool Required => false;
        public Type? ConverterType => null;

        public T? GetCustomAttribute<T>() where T : Attribute => null;

        public IObjectDescriptor Read(object target) =>
            new ObjectDescriptor(((TrainingConfig)target).Options(registration), Type, Type, ScalarStyle);

        public void Write(object target, object? value)
        {
            if (value is AlgorithmOptions options) ((TrainingConfig)target).SetWhileReading(options);
        }
    }
}
