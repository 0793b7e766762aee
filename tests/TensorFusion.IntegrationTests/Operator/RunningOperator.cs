using Prometheus;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>
/// An operator running in the test process; disposing stops it the way SIGTERM does (drain, release), and rethrows a
/// <see cref="Pipelines.Informers.CacheMutationException"/> the operator stopped with.
/// </summary>
internal sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private bool _mutationReported;

    public RunningOperator(TensorFusionOperator tensorFusion, FaultInjectingHandler faults, CollectorRegistry registry)
    {
        Operator = tensorFusion;
        Faults = faults;
        Registry = registry;
        Run = Task.Run(() => tensorFusion.RunAsync(_stop.Token));
    }

    public TensorFusionOperator Operator { get; }

    public FaultInjectingHandler Faults { get; }

    public CollectorRegistry Registry { get; }

    public Task Run { get; }

    public async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(OperatorCluster.Wait);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await _stop.CancelAsync();
            await Run.WaitAsync(OperatorCluster.Wait).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
        // Once (a second dispose is quiet). Every other way the operator ends is the test's to assert; a mutated cache fails every test, loudly.
        if (Run.Exception?.InnerException is Pipelines.Informers.CacheMutationException mutation && !_mutationReported)
        {
            _mutationReported = true;
            throw mutation;
        }
    }
}
