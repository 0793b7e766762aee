namespace TensorFusion.Pipelines.Controllers;

/// <summary>
/// Brings the world in line with one key's desired state. Level-based: it reads everything it needs (from caches),
/// then writes; it may be called again for the same key at any time and must be idempotent. Exceptions become
/// rate-limited retries (<see cref="TerminalReconcileException"/>: no retry).
/// </summary>
public interface IReconciler<in TKey>
{
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);
}
