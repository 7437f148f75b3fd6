using System.Runtime.InteropServices;

namespace Robotics.Sim.Mujoco;

/// <summary>Owns an mjModel*; released with mj_deleteModel, also from the finalizer.</summary>
internal sealed class MjModelHandle : SafeHandle
{
    public MjModelHandle(nint model) : base(0, ownsHandle: true) => SetHandle(model);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        MujocoNative.mj_deleteModel(handle);
        return true;
    }
}

/// <summary>Owns an mjData*; released with mj_deleteData, which needs no model.</summary>
internal sealed class MjDataHandle : SafeHandle
{
    public MjDataHandle(nint data) : base(0, ownsHandle: true) => SetHandle(data);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        MujocoNative.mj_deleteData(handle);
        return true;
    }
}
