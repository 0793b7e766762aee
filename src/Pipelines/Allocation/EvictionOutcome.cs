namespace TensorFusion.Pipelines.Allocation;

/// <summary>
/// How evicting a preemption victim went: the write's outcome and, when a PodDisruptionBudget refused it (429 with a
/// DisruptionBudget cause), the server's reason, which names the budget. A refused eviction left the victim running.
/// </summary>
public sealed record EvictionOutcome(WriteOutcome Outcome, string? BudgetRefusal = null)
{
    public static EvictionOutcome Done { get; } = new(WriteOutcome.Done);

    public static EvictionOutcome Gone { get; } = new(WriteOutcome.Gone);

    public static EvictionOutcome Failed { get; } = new(WriteOutcome.Failed);

    public static EvictionOutcome RefusedByBudget(string reason) => new(WriteOutcome.Failed, reason);
}
