namespace TensorFusion.Pipelines.Informers;

/// <summary>The kind-independent face of an informer: run it, and wait until its cache has synced.</summary>
public interface IInformer
{
    string Kind { get; }

    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken cancellationToken);

    Task RunAsync(CancellationToken cancellationToken);
}
