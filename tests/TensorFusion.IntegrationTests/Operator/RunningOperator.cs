using Prometheus;
using TensorFusion.Pipelines.Operating;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>An operator running in the test process; disposing stops it the way SIGTERM does (drain, release).</summary>
internal sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

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
    }
}
