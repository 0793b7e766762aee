namespace TensorFusion.Pipelines.Informers;

public sealed class NoInformerMetrics : IInformerMetrics
{
    public static NoInformerMetrics Instance { get; } = new();

    public void CountRelist()
    {
    }

    public void CountWatchRestart()
    {
    }

    public void SetCacheObjects(int count)
    {
    }

    public void SetInvalidObjects(int count)
    {
    }
}
