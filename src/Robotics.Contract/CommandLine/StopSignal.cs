using System.Runtime.InteropServices;

namespace Robotics.Contract.CommandLine;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation, so that a verb can stop in order (a robot ramps down to
/// its safe state, a training run writes last.ckpt, a bridge closes its sockets) instead of the process ending
/// mid-step. Every signal while it lives is taken this way, a second Ctrl-C too (as the programs always did); only
/// SIGKILL ends the process at once. Dispose gives the signals back to the runtime's default handling.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly Lock _lock = new();
    private bool _disposed;

    public StopSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM, or by <see cref="Stop"/>.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Stops as a signal would, e.g. when the parent process closes standard input; does nothing once disposed.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            if (!_disposed) _stop.Cancel();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }

        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process: the verb stops in order
        Stop();
    }
}
