namespace TensorFusion.Pipelines.Informers;

/// <summary>What an informer reports: relists, watch restarts, cache size.</summary>
public interface IInformerMetrics
{
    void CountRelist();

    void CountWatchRestart();

    void SetCacheObjects(int count);

    /// <summary>Objects of the kind now quarantined (stored, but not decodable or not valid): tensorfusion_invalid_objects.</summary>
    void SetInvalidObjects(int count);
}
