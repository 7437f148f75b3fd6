namespace Robotics.SimBridge.Host;

internal static class Program
{
    // robotics-sim-bridge [options] is robotics sim-bridge [options]: the same command, without the trainer.
    private static int Main(string[] args) => BridgeHostCommand.CreateRoot().Parse(args).Invoke();
}
