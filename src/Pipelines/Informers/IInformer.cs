namespace TensorFusion.Pipelines.Informers;

/// <summary>The kind-independent face of an informer: run it, wait until its cache has synced, see what it quarantined.</summary>
public interface IInformer
{
    string Kind { get; }

    /// <summary>The resource it lists and watches.</summary>
    Kube.ResourceDescriptor Resource { get; }

    /// <summary>Every quarantined stored version (see <see cref="InvalidObject"/>).</summary>
    IObservable<InvalidObject> Quarantined { get; }

    /// <summary>Why the stored object under this key is quarantined; null when it is valid or gone.</summary>
    InvalidObject? GetInvalid(string? objectNamespace, string name);

    /// <summary>Every object now quarantined.</summary>
    IReadOnlyList<InvalidObject> ListInvalid();

    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken cancellationToken);

    Task RunAsync(CancellationToken cancellationToken);
}
