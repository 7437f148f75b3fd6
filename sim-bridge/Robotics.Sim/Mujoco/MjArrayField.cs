namespace Robotics.Sim.Mujoco;

/// <summary>
/// Where an array lives in mjModel or mjData: the byte offset of its pointer in the struct, the byte
/// offset in mjModel of the int that counts its rows, and the columns per row.
/// </summary>
internal readonly record struct MjArrayField<T>(int Offset, int RowsOffset, int Columns) where T : unmanaged
{
    /// <summary>The array of <paramref name="owner"/> (an mjModel or mjData) sized from <paramref name="model"/>.</summary>
    public unsafe Span<T> Of(nint owner, nint model)
    {
        int rows = *(int*)(model + RowsOffset);
        T* first = *(T**)(owner + Offset);
        return new Span<T>(first, rows * Columns);
    }
}
