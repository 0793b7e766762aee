namespace TensorFusion.Pipelines.Queue;

/// <summary>What a <see cref="WorkQueue{TKey}"/> reports: depth, time waited, rate-limited retries.</summary>
public interface IWorkQueueMetrics
{
    void SetDepth(int depth);

    void ObserveQueueLatency(TimeSpan waited);

    void CountRetry();
}
