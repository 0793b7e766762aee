using System.Runtime.InteropServices;

namespace TensorFusion.Host.Hosting;

/// <summary>
/// Turns SIGINT/SIGTERM/SIGQUIT into one cancellation token for a long-running verb. Embedded Kestrel hosts started
/// with StartAsync install console lifetimes that swallow these signals, so each verb registers its own handlers and
/// owns shutdown explicitly. The first signal cancels gracefully; the default termination is suppressed so that
/// in-flight work can drain.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _shutdown;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals(CancellationToken linkedToken)
    {
        _shutdown = CancellationTokenSource.CreateLinkedTokenSource(linkedToken);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    /// <summary>Cancelled on the first shutdown signal or when the linked token is cancelled.</summary>
    public CancellationToken Token => _shutdown.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _shutdown.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _shutdown.Cancel();
    }
}
