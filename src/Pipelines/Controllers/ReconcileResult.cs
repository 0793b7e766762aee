namespace TensorFusion.Pipelines.Controllers;

/// <summary>What a reconcile asks of the queue: nothing, a rate-limited retry, or a retry after a fixed delay.</summary>
public readonly record struct ReconcileResult(bool Requeue, TimeSpan RequeueAfter)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult Retry => new(true, TimeSpan.Zero);

    public static ReconcileResult After(TimeSpan delay) => new(false, delay);
}
