namespace Robotics.FirmwareInterface.Tests.Transport;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; the limit is generous because it only bounds a failing test.</summary>
    public static void True(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting until {what}");
            Thread.Sleep(5);
        }
    }
}
