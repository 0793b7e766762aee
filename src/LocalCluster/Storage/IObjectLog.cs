namespace TensorFusion.LocalCluster.Storage;

/// <summary>Durable storage behind the in-memory index. Appends arrive in commit order, under the store's write lock.</summary>
public interface IObjectLog : IAsyncDisposable
{
    /// <summary>Every stored row and the last revision handed out (deletes advance it too).</summary>
    (IReadOnlyList<LogWrite> Rows, long Revision) Load();

    /// <summary>Queues one transaction; the task completes once it is committed.</summary>
    Task AppendAsync(IReadOnlyList<LogWrite> writes, long revision);
}
