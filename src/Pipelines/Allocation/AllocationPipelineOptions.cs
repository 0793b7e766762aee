using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>Batching and retry settings of the allocation pipeline.</summary>
public sealed record AllocationPipelineOptions
{
    /// <summary>A batch is decided when it holds this many workers...</summary>
    public int MaxBatchSize { get; init; } = 512;

    /// <summary>...or when this much time has passed since the last flush, whichever comes first.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Delay before a worker whose write failed (API error) is tried again.</summary>
    public TimeSpan WriteRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a worker whose preemption a PodDisruptionBudget refused waits before it is decided again.</summary>
    public TimeSpan BudgetRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent API writes while persisting one batch (binds are independent per pod).</summary>
    public int PersistParallelism { get; init; } = 32;

    /// <summary>Where failed batches and status-write faults are logged.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
