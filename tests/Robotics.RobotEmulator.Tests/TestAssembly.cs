using Xunit;

// The emulator runs in real time and these tests hold it to real-time deadlines (a 2.5-period watchdog):
// running their classes side by side on a small machine starves the control loop and trips the watchdog.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
