namespace TensorFusion.LocalCluster.Storage;

/// <summary>A transaction waiting for the store's committer (see <see cref="ObjectStore.WriteAsync{T}"/>).</summary>
internal interface IPendingWrite
{
    /// <summary>Runs the transaction under the store's lock and completes its waiter; never throws.</summary>
    void Commit(ObjectStore store);
}
