namespace Robotics.Contract.Environments;

/// <summary>How a batch of environments is split into parts (bridges, groups): as evenly as whole numbers allow.</summary>
public static class EvenShares
{
    /// <summary>The size of each of <paramref name="parts"/> parts of <paramref name="total"/>; the first <c>total % parts</c> are one larger (10 over 3: 4, 3, 3).</summary>
    public static int[] Of(int total, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var shares = new int[parts];
        for (int p = 0; p < parts; p++) shares[p] = total / parts + (p < total % parts ? 1 : 0);
        return shares;
    }
}
