using Robotics.Contract;
using Robotics.Contract.Observations;
using Robotics.Sim.Mujoco;

namespace Robotics.Sim.Terms;

/// <summary>
/// Observation terms that only a simulator knows: the true velocity of a body, the push acting on it, and the
/// physics that domain randomization drew for the episode. A robot cannot report them, so they belong in a
/// task's <c>critic_observations</c>, where the value function uses them in training (an asymmetric critic) and the
/// exported policy never sees them. No observation noise is added to them.
/// </summary>
public static class PrivilegedObservationTerms
{
    public static void Register(TermRegistry registry)
    {
        registry.AddObservation(ObservationKinds.BodyLinearVelocity, BodyLinearVelocity);
        registry.AddObservation(ObservationKinds.BodyExternalForce, BodyExternalForce);
        registry.AddObservation(ObservationKinds.ActuatorGainScale, ActuatorGainScale);
        registry.AddObservation(ObservationKinds.GeomFrictionScale, GeomFrictionScale);
        registry.AddObservation(ObservationKinds.BodyMassScale, BodyMassScale);
        registry.AddObservation(ObservationKinds.ActionLatency, ActionLatency);
    }

    private static IObservationTerm BodyLinearVelocity(TermArgs a)
    {
        a.Definition.AllowParameters("body");
        int body = a.Body();
        return new BodyLinearVelocityTerm(Spec(a, ObservationKinds.BodyLinearVelocity, 3), body, a.Model.BodyRootid[body]);
    }

    private static IObservationTerm BodyExternalForce(TermArgs a)
    {
        a.Definition.AllowParameters("body");
        int body = a.Body();
        return new BodyExternalForceTerm(Spec(a, ObservationKinds.BodyExternalForce, 3), body);
    }

    private static IObservationTerm ActuatorGainScale(TermArgs a)
    {
        a.Definition.AllowParameters();
        int[] ids = a.Binding.ActuatorIds;
        var names = a.Robot.Actuators.Select(x => x.Name).ToArray();
        return Ratio(a, ObservationKinds.ActuatorGainScale, "term", "actuator", "a gain of 0", names, ids.Select(id => id * 10).ToArray(), m => m.ActuatorGainprm);
    }

    private static IObservationTerm GeomFrictionScale(TermArgs a)
    {
        a.Definition.AllowParameters("geoms");
        var (names, ids) = a.NamedList("geoms", MjtObj.Geom, "a list of MJCF geom names");
        return Ratio(a, ObservationKinds.GeomFrictionScale, "geoms", "geom", "no sliding friction", names, ids.Select(id => id * 3).ToArray(), m => m.GeomFriction);
    }

    private static IObservationTerm BodyMassScale(TermArgs a)
    {
        a.Definition.AllowParameters("bodies");
        var (names, ids) = a.NamedList("bodies", MjtObj.Body, "a list of MJCF body names");
        return Ratio(a, ObservationKinds.BodyMassScale, "bodies", "body", "no mass", names, ids, m => m.BodyMass);
    }

    /// <summary>
    /// Values of one model array at <paramref name="addresses"/>, each divided by the nominal model's; a nominal 0 (where
    /// the ratio means nothing) is the task file's mistake, named with <paramref name="key"/>.
    /// </summary>
    private static RatioTerm Ratio(TermArgs a, string kind, string key, string what, string zero, IReadOnlyList<string> names, int[] addresses, Func<MjModel, Span<double>> array)
    {
        Span<double> values = array(a.NominalModel);
        var nominal = new double[addresses.Length];
        for (int i = 0; i < addresses.Length; i++)
        {
            nominal[i] = values[addresses[i]];
            if (nominal[i] == 0)
                throw a.Error(key, $"{what} '{names[i]}' has {zero} in the model, so its value relative to nominal is undefined");
        }
        return new RatioTerm(new ObservationTermSpec(kind, names, addresses.Length), addresses, nominal, array);
    }

    private static IObservationTerm ActionLatency(TermArgs a)
    {
        a.Definition.AllowParameters();
        return new ActionLatencyTerm(new ObservationTermSpec(ObservationKinds.ActionLatency, ["steps"], 1));
    }

    private static ObservationTermSpec Spec(TermArgs a, string kind, int size) => new(kind, [a.Parameters.RequiredString("body")], size);

    /// <summary>The body's velocity rotated into its own frame: forward, left, up as the body sees them.</summary>
    private sealed class BodyLinearVelocityTerm(ObservationTermSpec spec, int body, int root) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            Span<double> world = stackalloc double[3];
            BodyVelocity.Linear(context.Data, body, root, world);
            // xmat is the body's rotation, row-major: body axes in world coordinates are its columns.
            ReadOnlySpan<double> r = context.Data.Xmat.Slice(9 * body, 9);
            for (int k = 0; k < 3; k++)
                into[k] = (float)(r[k] * world[0] + r[3 + k] * world[1] + r[6 + k] * world[2]);
        }
    }

    private sealed class BodyExternalForceTerm(ObservationTermSpec spec, int body) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            ReadOnlySpan<double> force = context.Data.XfrcApplied.Slice(6 * body, 3);
            for (int k = 0; k < 3; k++)
                into[k] = (float)force[k];
        }
    }

    /// <summary>Model values at fixed addresses of one array, each divided by its nominal value.</summary>
    private sealed class RatioTerm(ObservationTermSpec spec, int[] addresses, double[] nominal, Func<MjModel, Span<double>> array) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into)
        {
            Span<double> values = array(context.Model);
            for (int i = 0; i < addresses.Length; i++)
                into[i] = (float)(values[addresses[i]] / nominal[i]);
        }
    }

    private sealed class ActionLatencyTerm(ObservationTermSpec spec) : IObservationTerm
    {
        public ObservationTermSpec Spec { get; } = spec;

        public void Write(TermContext context, Span<float> into) => into[0] = context.ActionLatencySteps;
    }
}
