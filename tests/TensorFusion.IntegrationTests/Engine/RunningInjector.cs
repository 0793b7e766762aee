using TensorFusion.Host.Local;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>A <see cref="LocalFaultInjector"/> watching in the background; disposing stops it and surfaces its fault.</summary>
internal sealed class RunningInjector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public static RunningInjector Start(LocalFaultInjector injector)
    {
        var running = new RunningInjector();
        running._run = Task.Run(() => injector.RunAsync(running._stop.Token));
        return running;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the test.
        }

        _stop.Dispose();
    }
}
