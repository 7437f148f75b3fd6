using L = Robotics.Sim.Mujoco.MujocoLayout.mjData;

namespace Robotics.Sim.Mujoco;

/// <summary>
/// The simulation state of one model (mjData). Array properties are views of the native arrays,
/// sized from the model; they must not be used after the data is disposed.
/// </summary>
public sealed unsafe class MjData : IDisposable
{
    private static readonly MjtWarning[] InstabilityWarnings = [MjtWarning.BadQpos, MjtWarning.BadQvel, MjtWarning.BadQacc];
    private readonly MjDataHandle handle;
    private readonly nint data;

    public MjData(MjModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        data = MujocoNative.mj_makeData(model.Pointer);
        if (data == 0)
            throw new MujocoException("mj_makeData failed (out of memory?)");
        handle = new MjDataHandle(data);
    }

    /// <summary>The model this data was made for.</summary>
    public MjModel Model { get; }

    /// <summary>The native mjData*; throws when this data or its model is disposed.</summary>
    internal nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return data;
        }
    }

    public bool IsDisposed => handle.IsClosed;

    /// <summary>Simulation time, seconds.</summary>
    public double Time
    {
        get => *(double*)(Pointer + L.time);
        set => *(double*)(Pointer + L.time) = value;
    }

    /// <summary>Number of contacts found by the last forward pass.</summary>
    public int Ncon => *(int*)(Pointer + L.ncon);

    public Span<double> Qpos => Array(L.qpos);
    public Span<double> Qvel => Array(L.qvel);
    public Span<double> Qacc => Array(L.qacc);
    public Span<double> QaccWarmstart => Array(L.qacc_warmstart);
    public Span<double> Ctrl => Array(L.ctrl);
    public Span<double> Act => Array(L.act);
    public Span<double> ActDot => Array(L.act_dot);
    /// <summary>[nv] generalized forces applied by the user; kept across steps.</summary>
    public Span<double> QfrcApplied => Array(L.qfrc_applied);
    /// <summary>[nbody*6] Cartesian force (3) then torque (3) on each body's centre of mass, world frame.</summary>
    public Span<double> XfrcApplied => Array(L.xfrc_applied);
    public Span<double> MocapPos => Array(L.mocap_pos);
    public Span<double> MocapQuat => Array(L.mocap_quat);
    public Span<double> SensorData => Array(L.sensordata);

    /// <summary>[nbody*3] body frame positions, world.</summary>
    public Span<double> Xpos => Array(L.xpos);
    /// <summary>[nbody*4] body frame orientations (w, x, y, z).</summary>
    public Span<double> Xquat => Array(L.xquat);
    /// <summary>[nbody*9] body frame orientations, row-major rotation matrices.</summary>
    public Span<double> Xmat => Array(L.xmat);
    /// <summary>[nbody*3] body centre-of-mass positions, world.</summary>
    public Span<double> Xipos => Array(L.xipos);
    public Span<double> Ximat => Array(L.ximat);
    public Span<double> Xanchor => Array(L.xanchor);
    public Span<double> Xaxis => Array(L.xaxis);
    public Span<double> GeomXpos => Array(L.geom_xpos);
    public Span<double> GeomXmat => Array(L.geom_xmat);
    public Span<double> SiteXpos => Array(L.site_xpos);
    public Span<double> SiteXmat => Array(L.site_xmat);
    /// <summary>[nbody*3] centre of mass of each subtree, world.</summary>
    public Span<double> SubtreeCom => Array(L.subtree_com);
    public Span<double> SubtreeLinvel => Array(L.subtree_linvel);
    public Span<double> SubtreeAngmom => Array(L.subtree_angmom);
    /// <summary>[nbody*6] velocity (angular 3, linear 3) in the centre-of-mass frame.</summary>
    public Span<double> Cvel => Array(L.cvel);
    public Span<double> ActuatorLength => Array(L.actuator_length);
    public Span<double> ActuatorVelocity => Array(L.actuator_velocity);
    public Span<double> ActuatorForce => Array(L.actuator_force);
    public Span<double> QfrcActuator => Array(L.qfrc_actuator);
    public Span<double> QfrcBias => Array(L.qfrc_bias);
    public Span<double> QfrcPassive => Array(L.qfrc_passive);
    public Span<double> QfrcConstraint => Array(L.qfrc_constraint);
    /// <summary>[nbody*6] external (contact) force and torque on each body, centre-of-mass frame.</summary>
    public Span<double> CfrcExt => Array(L.cfrc_ext);

    /// <summary>Resets the state to qpos0 and zero velocity, clearing warnings (mj_resetData).</summary>
    public void Reset()
    {
        MujocoNative.mj_resetData(Model.Pointer, Pointer);
        GC.KeepAlive(this); // the finalizer must not free the data during the call
    }

    /// <summary>Resets to the keyframe with index <paramref name="key"/> (mj_resetDataKeyframe).</summary>
    public void ResetToKeyframe(int key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(key);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(key, Model.Nkey);
        MujocoNative.mj_resetDataKeyframe(Model.Pointer, Pointer, key);
        GC.KeepAlive(this);
    }

    /// <summary>Advances the simulation by one timestep (mj_step).</summary>
    public void Step()
    {
        MujocoNative.mj_step(Model.Pointer, Pointer);
        GC.KeepAlive(this);
    }

    /// <summary>Computes positions, velocities, forces and sensors without integrating (mj_forward).</summary>
    public void Forward()
    {
        MujocoNative.mj_forward(Model.Pointer, Pointer);
        GC.KeepAlive(this);
    }

    /// <summary>How many times MuJoCo raised <paramref name="warning"/> since the last reset or clear.</summary>
    public int WarningCount(MjtWarning warning)
    {
        if ((uint)warning >= L.mjNWARNING)
            throw new ArgumentOutOfRangeException(nameof(warning), warning, "Not a MuJoCo 2.2.2 warning.");
        return *(int*)(Pointer + L.warning + (int)warning * L.sizeof_mjWarningStat + L.mjWarningStat_number);
    }

    /// <summary>Zeroes the warning counters (mj_resetData does too).</summary>
    public void ClearWarnings()
    {
        byte* warnings = (byte*)(Pointer + L.warning);
        new Span<byte>(warnings, L.mjNWARNING * L.sizeof_mjWarningStat).Clear();
    }

    /// <summary>
    /// True when MuJoCo flagged a bad qpos, qvel or qacc since the last reset or clear (it then resets
    /// the state itself), or when qpos, qvel or qacc holds a NaN or infinity.
    /// </summary>
    public bool IsUnstable
    {
        get
        {
            foreach (MjtWarning warning in InstabilityWarnings)
            {
                if (WarningCount(warning) > 0)
                    return true;
            }
            return !AllFinite(Qpos) || !AllFinite(Qvel) || !AllFinite(Qacc);
        }
    }

    public void Dispose() => handle.Dispose();

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
                return false;
        }
        return true;
    }

    private Span<T> Array<T>(MjArrayField<T> field) where T : unmanaged => field.Of(Pointer, Model.Pointer);
}
