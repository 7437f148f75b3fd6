using System.Runtime.InteropServices;

namespace Robotics.Sim.Mujoco;

/// <summary>The MuJoCo 2.2.2 C functions the bindings call, under their C names.</summary>
internal static unsafe partial class MujocoNative
{
    /// <summary>The one place the library is named; <see cref="MujocoLibrary"/> resolves it.</summary>
    public const string LibraryName = "mujoco";

    /// <summary>The shared object of the Debian package libmujoco2.2.2.</summary>
    public const string LibraryFile = "libmujoco.so.2.2.2";

    [LibraryImport(LibraryName)]
    public static partial int mj_version();

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint mj_loadXML(string filename, nint vfs, byte* error, int error_sz);

    [LibraryImport(LibraryName)]
    public static partial nint mj_copyModel(nint dest, nint src);

    [LibraryImport(LibraryName)]
    public static partial void mj_deleteModel(nint m);

    [LibraryImport(LibraryName)]
    public static partial nint mj_makeData(nint m);

    [LibraryImport(LibraryName)]
    public static partial void mj_deleteData(nint d);

    [LibraryImport(LibraryName)]
    public static partial void mj_resetData(nint m, nint d);

    [LibraryImport(LibraryName)]
    public static partial void mj_resetDataKeyframe(nint m, nint d, int key);

    [LibraryImport(LibraryName)]
    public static partial void mj_step(nint m, nint d);

    [LibraryImport(LibraryName)]
    public static partial void mj_forward(nint m, nint d);

    [LibraryImport(LibraryName)]
    public static partial void mj_setConst(nint m, nint d);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mj_name2id(nint m, int type, string name);

    [LibraryImport(LibraryName)]
    public static partial byte* mj_id2name(nint m, int type, int id);
}
