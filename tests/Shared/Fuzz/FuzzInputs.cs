using CsCheck;

namespace Robotics.Testing;

/// <summary>
/// For the test projects that use CsCheck, which include this file themselves (tests/Shared/*.cs, which every test
/// project compiles, leaves this folder out). The inputs of every fuzz test, the same on every run: input i is drawn from its own generator seeded with i.
/// (CsCheck's Sample replays its seed for the first input only and draws the others from fresh seeds, so a run with it
/// tried other inputs each time and could fail on one machine and pass on the next.)
/// </summary>
public static class FuzzInputs
{
    private const ulong FirstSeed = 20261205;

    /// <summary>Runs <paramref name="check"/> on <paramref name="count"/> inputs of <paramref name="gen"/>; a failure names the input.</summary>
    public static void Each<T>(Gen<T> gen, int count, Action<T> check)
    {
        for (int i = 0; i < count; i++)
        {
            var value = gen.Generate(new PCG(1, FirstSeed + (ulong)i), null, out _);
            try
            {
                check(value);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"fuzz input {i} of {count} ({Describe(value)}) failed: {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    /// <summary>As <see cref="Each{T}(Gen{T}, int, Action{T})"/> for a generator of pairs.</summary>
    public static void Each<T1, T2>(Gen<(T1, T2)> gen, int count, Action<T1, T2> check) => Each(gen, count, pair => check(pair.Item1, pair.Item2));

    private static string Describe<T>(T value) => value switch
    {
        byte[] bytes => $"{bytes.Length} bytes: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 64)))}{(bytes.Length > 64 ? "…" : "")}",
        _ => value?.ToString() ?? "null",
    };
}
