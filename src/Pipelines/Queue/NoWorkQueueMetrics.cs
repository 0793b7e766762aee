namespace TensorFusion.Pipelines.Queue;

/// <summary>Discards queue metrics (unit tests and embedded uses that do not export them).</summary>
public sealed class NoWorkQueueMetrics : IWorkQueueMetrics
{
    public static NoWorkQueueMetrics Instance { get; } = new();

    public void SetDepth(int depth)
    {
    }

    public void ObserveQueueLatency(TimeSpan waited)
    {
    }

    public void CountRetry()
    {
    }
}
