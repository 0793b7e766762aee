using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TensorFusion.Pipelines.Controllers;

public sealed record ReconcileLoopOptions
{
    /// <summary>Keys reconciled at once (never the same key twice).</summary>
    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary>Per-reconcile time limit; a reconcile that runs longer is cancelled and retried.</summary>
    public TimeSpan ReconcileTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Where failed and terminal reconciles are reported (with the key and the exception).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
