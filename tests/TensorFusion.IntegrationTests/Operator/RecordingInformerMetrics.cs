using TensorFusion.Pipelines.Informers;

namespace TensorFusion.IntegrationTests.Operator;

internal sealed class RecordingInformerMetrics : IInformerMetrics
{
    private int _relists;
    private int _restarts;

    public int Relists => Volatile.Read(ref _relists);

    public int WatchRestarts => Volatile.Read(ref _restarts);

    public void CountRelist() => Interlocked.Increment(ref _relists);

    public void CountWatchRestart() => Interlocked.Increment(ref _restarts);

    public void SetCacheObjects(int count)
    {
    }

    public void SetInvalidObjects(int count)
    {
    }
}
