namespace Robotics.Sim.Randomization;

/// <summary>
/// A multiplicative factor sampled per episode for each target (body, geom, joint or actuator).
/// An empty target list means every object of that kind. <see cref="Common"/>, when set, is a second
/// factor drawn once per episode and shared by every target: the part of a perturbation that moves a
/// whole robot together (all servos weaker with a sagging battery or another servo model), which
/// independent per-target draws almost never produce (the mean of 12 draws in [0.8, 1.2] stays within
/// a few percent of 1).
/// </summary>
public sealed record ScaleRandomization(RandomRange Scale, IReadOnlyList<string> Targets, RandomRange? Common = null)
{
    public ScaleRandomization(RandomRange scale) : this(scale, []) { }
}

/// <summary>Gravity per axis: nominal × scale + offset (m/s²), sampled per episode.</summary>
public sealed record GravityRandomization(AxisRanges Scale, AxisRanges Offset);

/// <summary>Centre-of-mass shift per axis in metres (body frame), sampled per episode for each body.</summary>
public sealed record ComOffsetRandomization(AxisRanges Offset, IReadOnlyList<string> Bodies);

/// <summary>
/// External pushes: a force of random magnitude (N) on one of the bodies for Duration seconds, starting
/// every Interval seconds (sampled after each push). Horizontal pushes act in the world x-y plane.
/// </summary>
public sealed record PushRandomization(
    RandomRange Force,
    RandomRange Interval,
    double Duration,
    IReadOnlyList<string> Bodies,
    bool Horizontal = true);
