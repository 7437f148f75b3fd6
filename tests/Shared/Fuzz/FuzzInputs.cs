using CsCheck;

namespace Robotics.FirmwareInterface.Tests.Fuzz;

/// <summary>The one seed every fuzz test here starts from, so that a run tries the same inputs every time.</summary>
internal static class FuzzSeed
{
    public static readonly string Value = new PCG(1, 20261205).ToString();
}
