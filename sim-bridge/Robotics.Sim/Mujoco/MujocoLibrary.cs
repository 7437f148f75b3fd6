using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Robotics.Sim.Mujoco;

/// <summary>
/// Loads libmujoco.so.2.2.2 once, checks its version against the layout the bindings were generated
/// for, and routes MuJoCo's warning and error printing into managed code.
/// </summary>
public static unsafe class MujocoLibrary
{
    /// <summary>The version the bindings' struct offsets were generated for (mj_version() form).</summary>
    public const int ExpectedVersion = MujocoLayout.mjVERSION_HEADER;

    private static readonly Lock Gate = new();

    /// <summary>
    /// Held while MuJoCo compiles a model: its compiler swaps the process-wide error and warning
    /// handlers for its own and restores them afterwards, which is only safe one compile at a time.
    /// </summary>
    internal static readonly Lock CompileGate = new();
    private static nint handle;
    private static Exception? loadFailure;
    private static long warningMessages;
    private static string? lastWarning;

    /// <summary>How many warning messages MuJoCo has sent since the process started (all models).</summary>
    public static long WarningMessageCount => Interlocked.Read(ref warningMessages);

    /// <summary>The text of MuJoCo's most recent warning, or null.</summary>
    public static string? LastWarning => Volatile.Read(ref lastWarning);

    /// <summary>
    /// Loads MuJoCo if needed and checks mj_version(); throws <see cref="MujocoException"/> when the
    /// library is missing or is another version. Cheap after the first call.
    /// </summary>
    public static void EnsureVersion()
    {
        if (Volatile.Read(ref handle) != 0)
            return;
        lock (Gate)
        {
            if (loadFailure is not null)
                throw loadFailure;
            if (handle != 0)
                return;
            try
            {
                nint loaded = Load();
                Volatile.Write(ref handle, loaded);
            }
            catch (MujocoException e)
            {
                loadFailure = e;
                throw;
            }
        }
    }

    /// <summary>Formats mj_version()'s number (222) as 2.2.2.</summary>
    public static string FormatVersion(int version) => $"{version / 100}.{version / 10 % 10}.{version % 10}";

    private static nint Load()
    {
        nint library = LoadLibrary(MujocoNative.LibraryFile);
        NativeLibrary.SetDllImportResolver(typeof(MujocoLibrary).Assembly, Resolve);
        CheckVersion(MujocoNative.mj_version());
        InstallHandlers(library);
        return library;
    }

    /// <summary>Loads the shared object <paramref name="file"/>, saying how to install it when it is missing.</summary>
    internal static nint LoadLibrary(string file)
    {
        if (NativeLibrary.TryLoad(file, out nint library))
            return library;
        throw new MujocoException(
            $"MuJoCo 2.2.2 is not installed: {file} could not be loaded. "
            + "Install it with `sudo apt-get install libmujoco2.2.2` (the ./robotics launcher does this).");
    }

    /// <summary>Throws when <paramref name="found"/> (mj_version()) is not the version of the layout.</summary>
    internal static void CheckVersion(int found)
    {
        if (found != ExpectedVersion)
            throw new MujocoException(
                $"MuJoCo version mismatch: the bindings were generated for {FormatVersion(ExpectedVersion)} "
                + $"(mj_version() {ExpectedVersion}) but the loaded library reports {FormatVersion(found)} "
                + $"(mj_version() {found}). Install libmujoco2.2.2, or regenerate the layout with "
                + "sim-bridge/Robotics.Sim/Mujoco/generate-layout.sh and review the bindings.");
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == MujocoNative.LibraryName ? NativeLibrary.Load(MujocoNative.LibraryFile) : 0;

    // MuJoCo's own handlers print to stdout, append to MUJOCO_LOG.TXT in the working directory and,
    // for errors, wait for Enter before exiting: none of that may happen inside a training server.
    private static void InstallHandlers(nint library)
    {
        var warning = (delegate* unmanaged[Cdecl]<byte*, void>*)NativeLibrary.GetExport(library, "mju_user_warning");
        *warning = &OnWarning;
        var error = (delegate* unmanaged[Cdecl]<byte*, void>*)NativeLibrary.GetExport(library, "mju_user_error");
        *error = &OnError;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnWarning(byte* message)
    {
        // Counted here; the per-data counters in mjData.warning say which environment it came from.
        Interlocked.Increment(ref warningMessages);
        Volatile.Write(ref lastWarning, Marshal.PtrToStringUTF8((nint)message));
    }

    // mju_error must not return to MuJoCo, and a managed exception cannot unwind through its C frames.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message) =>
        Environment.FailFast($"MuJoCo fatal error: {Marshal.PtrToStringUTF8((nint)message)}");
}
