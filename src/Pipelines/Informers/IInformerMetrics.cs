namespace TensorFusion.Pipelines.Informers;

/// <summary>What an informer reports: relists, watch restarts, cache size.</summary>
public interface IInformerMetrics
{
    void CountRelist();

    void CountWatchRestart();

    void SetCacheObjects(int count);
}
