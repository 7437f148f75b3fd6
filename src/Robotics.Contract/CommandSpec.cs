using System.Text.Json.Serialization;

namespace Robotics.Contract;

/// <summary>
/// A command the policy observes (a target, a velocity to walk at): its named components and the
/// ranges it was trained on. On a robot the operator supplies it; in simulation it is sampled per episode.
/// </summary>
public sealed record CommandSpec(string Name, IReadOnlyList<string> Components, IReadOnlyList<double> Min, IReadOnlyList<double> Max)
{
    [JsonIgnore]
    public int Size => Components.Count;

    public bool Equals(CommandSpec? other) =>
        other is not null && Name == other.Name && Components.SequenceEqual(other.Components)
        && Min.SequenceEqual(other.Min) && Max.SequenceEqual(other.Max);

    public override int GetHashCode() => HashCode.Combine(Name, Components.Count);
}
