using System.Runtime.InteropServices;

namespace Robotics.Contract.CommandLine;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation, so that a verb can stop in order (a robot ramps down to
/// its safe state, a training run writes last.ckpt, a bridge closes its sockets) instead of the process ending
/// mid-step. Every signal while it lives is taken this way, a second Ctrl-C too (as the programs always did); only
/// SIGKILL ends the process at once. Dispose gives the signals back to the runtime's default handling.
/// A program that belongs to a parent (a local bridge the trainer started) takes Ctrl-C without stopping: the
/// terminal sends it to the whole foreground process group, parent and children alike, and the parent, which is
/// finishing its step, stops its children itself.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;
    private readonly Lock gate = new();
    private bool disposed;

    /// <param name="stopOnInterrupt">False to take Ctrl-C (SIGINT) and ignore it, leaving the stop to a parent process; SIGTERM still stops.</param>
    public StopSignal(bool stopOnInterrupt = true)
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, stopOnInterrupt ? OnSignal : Ignore);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM, or by <see cref="Stop"/>.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Stops as a signal would, e.g. when the parent process closes standard input; does nothing once disposed.</summary>
    public void Stop()
    {
        lock (gate)
        {
            if (!disposed) stop.Cancel();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
        }

        interrupt.Dispose();
        terminate.Dispose();
        stop.Dispose();
    }

    private static void Ignore(PosixSignalContext context) => context.Cancel = true;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process: the verb stops in order
        Stop();
    }
}
