using System.Runtime.InteropServices;
using L = Robotics.Sim.Mujoco.MujocoLayout.mjModel;

namespace Robotics.Sim.Mujoco;

/// <summary>
/// A compiled MuJoCo model (mjModel). Array properties are views of the native arrays: writes go
/// straight into the model (call <see cref="SetConst"/> after changing masses or inertias). A span
/// must not be used after the model is disposed.
/// </summary>
public sealed unsafe class MjModel : IDisposable
{
    private const int ErrorBufferSize = 1000;
    private readonly MjModelHandle handle;
    private readonly nint model;

    private MjModel(nint model)
    {
        this.model = model;
        handle = new MjModelHandle(model);
    }

    /// <summary>
    /// Compiles an MJCF file. Throws <see cref="MujocoException"/> with MuJoCo's message (which names
    /// the file, line and column) when the file is not valid.
    /// </summary>
    public static MjModel LoadXml(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MujocoLibrary.EnsureVersion();
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new MujocoException($"MJCF file not found: {fullPath}");
        byte* error = stackalloc byte[ErrorBufferSize];
        error[0] = 0;
        nint loaded;
        lock (MujocoLibrary.CompileGate)
            loaded = MujocoNative.mj_loadXML(fullPath, 0, error, ErrorBufferSize);
        if (loaded == 0)
        {
            string text = Marshal.PtrToStringUTF8((nint)error)?.Trim() ?? "";
            throw new MujocoException($"MuJoCo could not load {fullPath}: {(text.Length > 0 ? text : "unknown error")}");
        }
        return new MjModel(loaded);
    }

    /// <summary>An independent copy (mj_copyModel): changes to one never reach the other.</summary>
    public MjModel Clone()
    {
        nint copy = MujocoNative.mj_copyModel(0, Pointer);
        GC.KeepAlive(this); // the finalizer must not free the source during the copy
        if (copy == 0)
            throw new MujocoException("mj_copyModel failed (out of memory?)");
        return new MjModel(copy);
    }

    /// <summary>The native mjModel*; throws when disposed.</summary>
    internal nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return model;
        }
    }

    public bool IsDisposed => handle.IsClosed;

    public int Nq => Int(L.nq);
    public int Nv => Int(L.nv);
    public int Nu => Int(L.nu);
    public int Na => Int(L.na);
    public int Nbody => Int(L.nbody);
    public int Njnt => Int(L.njnt);
    public int Ngeom => Int(L.ngeom);
    public int Nsite => Int(L.nsite);
    public int Nsensor => Int(L.nsensor);
    public int Nsensordata => Int(L.nsensordata);
    public int Nmocap => Int(L.nmocap);
    public int Nkey => Int(L.nkey);
    public int Ntendon => Int(L.ntendon);

    /// <summary>opt.timestep, seconds per physics step.</summary>
    public double Timestep
    {
        get => *(double*)(Pointer + L.opt_timestep);
        set => *(double*)(Pointer + L.opt_timestep) = value;
    }

    /// <summary>opt.gravity (x, y, z), m/s².</summary>
    public Span<double> Gravity => new((double*)(Pointer + L.opt_gravity), 3);

    public Span<double> Qpos0 => Array(L.qpos0);
    public Span<double> QposSpring => Array(L.qpos_spring);

    public Span<int> BodyParentid => Array(L.body_parentid);
    public Span<int> BodyRootid => Array(L.body_rootid);
    public Span<int> BodyWeldid => Array(L.body_weldid);
    public Span<int> BodyMocapid => Array(L.body_mocapid);
    public Span<int> BodyJntnum => Array(L.body_jntnum);
    public Span<int> BodyJntadr => Array(L.body_jntadr);
    public Span<int> BodyDofnum => Array(L.body_dofnum);
    public Span<int> BodyDofadr => Array(L.body_dofadr);
    public Span<int> BodyGeomnum => Array(L.body_geomnum);
    public Span<int> BodyGeomadr => Array(L.body_geomadr);
    /// <summary>[nbody*3] position relative to the parent frame.</summary>
    public Span<double> BodyPos => Array(L.body_pos);
    /// <summary>[nbody*4] orientation relative to the parent frame.</summary>
    public Span<double> BodyQuat => Array(L.body_quat);
    /// <summary>[nbody*3] centre of mass in the body frame.</summary>
    public Span<double> BodyIpos => Array(L.body_ipos);
    public Span<double> BodyIquat => Array(L.body_iquat);
    public Span<double> BodyMass => Array(L.body_mass);
    /// <summary>[nbody] mass of the subtree; derived, recomputed by <see cref="SetConst"/>.</summary>
    public Span<double> BodySubtreemass => Array(L.body_subtreemass);
    /// <summary>[nbody*3] principal moments of inertia.</summary>
    public Span<double> BodyInertia => Array(L.body_inertia);

    /// <summary>[njnt] <see cref="MjtJoint"/> values.</summary>
    public Span<int> JntType => Array(L.jnt_type);
    public Span<int> JntQposadr => Array(L.jnt_qposadr);
    public Span<int> JntDofadr => Array(L.jnt_dofadr);
    public Span<int> JntBodyid => Array(L.jnt_bodyid);
    /// <summary>[njnt] 1 when the joint has limits (mjtByte in MuJoCo 2.2.2).</summary>
    public Span<byte> JntLimited => Array(L.jnt_limited);
    public Span<double> JntPos => Array(L.jnt_pos);
    public Span<double> JntAxis => Array(L.jnt_axis);
    public Span<double> JntStiffness => Array(L.jnt_stiffness);
    /// <summary>[njnt*2] lower, upper limit.</summary>
    public Span<double> JntRange => Array(L.jnt_range);

    public Span<int> DofBodyid => Array(L.dof_bodyid);
    public Span<int> DofJntid => Array(L.dof_jntid);
    public Span<double> DofFrictionloss => Array(L.dof_frictionloss);
    public Span<double> DofArmature => Array(L.dof_armature);
    public Span<double> DofDamping => Array(L.dof_damping);

    public Span<int> GeomType => Array(L.geom_type);
    public Span<int> GeomBodyid => Array(L.geom_bodyid);
    public Span<double> GeomSize => Array(L.geom_size);
    public Span<double> GeomPos => Array(L.geom_pos);
    public Span<double> GeomQuat => Array(L.geom_quat);
    /// <summary>[ngeom*3] sliding, torsional, rolling friction.</summary>
    public Span<double> GeomFriction => Array(L.geom_friction);

    public Span<int> SiteBodyid => Array(L.site_bodyid);
    public Span<double> SitePos => Array(L.site_pos);
    public Span<double> SiteQuat => Array(L.site_quat);
    public Span<double> SiteSize => Array(L.site_size);

    /// <summary>[nu] <see cref="MjtTrn"/> values.</summary>
    public Span<int> ActuatorTrntype => Array(L.actuator_trntype);
    public Span<int> ActuatorDyntype => Array(L.actuator_dyntype);
    /// <summary>[nu] <see cref="MjtGain"/> values.</summary>
    public Span<int> ActuatorGaintype => Array(L.actuator_gaintype);
    /// <summary>[nu] <see cref="MjtBias"/> values.</summary>
    public Span<int> ActuatorBiastype => Array(L.actuator_biastype);
    /// <summary>[nu*2] transmission target ids (joint, tendon or site; second for slider-crank).</summary>
    public Span<int> ActuatorTrnid => Array(L.actuator_trnid);
    /// <summary>[nu] 1 when ctrl is clamped to ctrlrange (mjtByte in MuJoCo 2.2.2).</summary>
    public Span<byte> ActuatorCtrllimited => Array(L.actuator_ctrllimited);
    public Span<byte> ActuatorForcelimited => Array(L.actuator_forcelimited);
    /// <summary>[nu*10] gain parameters; [0] is the gain of motors and position servos (kp).</summary>
    public Span<double> ActuatorGainprm => Array(L.actuator_gainprm);
    /// <summary>[nu*10] bias parameters; a position servo has [1] = -kp, a velocity servo [2] = -kv.</summary>
    public Span<double> ActuatorBiasprm => Array(L.actuator_biasprm);
    public Span<double> ActuatorCtrlrange => Array(L.actuator_ctrlrange);
    public Span<double> ActuatorForcerange => Array(L.actuator_forcerange);
    /// <summary>[nu*6] transmission gear.</summary>
    public Span<double> ActuatorGear => Array(L.actuator_gear);

    public Span<int> SensorType => Array(L.sensor_type);
    public Span<int> SensorObjtype => Array(L.sensor_objtype);
    public Span<int> SensorObjid => Array(L.sensor_objid);
    public Span<int> SensorDim => Array(L.sensor_dim);
    public Span<int> SensorAdr => Array(L.sensor_adr);

    /// <summary>The id of a named object, or -1 when the model has none of that name.</summary>
    public int NameToId(MjtObj kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int id = MujocoNative.mj_name2id(Pointer, (int)kind, name);
        GC.KeepAlive(this);
        return id;
    }

    /// <summary>The name of an object, or null when it has none (or the id is out of range).</summary>
    public string? IdToName(MjtObj kind, int id)
    {
        byte* name = MujocoNative.mj_id2name(Pointer, (int)kind, id);
        string? text = name == null ? null : Marshal.PtrToStringUTF8((nint)name);
        GC.KeepAlive(this);
        return text;
    }

    /// <summary>
    /// Recomputes the quantities MuJoCo derives from masses, inertias and qpos0 (mj_setConst); uses
    /// <paramref name="data"/> as scratch space, so reset it afterwards.
    /// </summary>
    public void SetConst(MjData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!ReferenceEquals(data.Model, this))
            throw new ArgumentException("The data was made for another model.", nameof(data));
        MujocoNative.mj_setConst(Pointer, data.Pointer);
        GC.KeepAlive(data); // keeps this model alive too
    }

    public void Dispose() => handle.Dispose();

    private int Int(int offset) => *(int*)(Pointer + offset);

    private Span<T> Array<T>(MjArrayField<T> field) where T : unmanaged
    {
        nint m = Pointer;
        return field.Of(m, m);
    }
}
