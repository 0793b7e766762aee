namespace TensorFusion.Gpu.Plans;

/// <summary>What the agent reports back: the generation it has accepted and reconciled, and each allocation's
/// state. <see cref="Message"/> explains a refusal.</summary>
public sealed record NodePlanStatus(
    string NodeName,
    long ObservedGeneration,
    PlanApplyResult Result,
    IReadOnlyList<AllocationStatus> Allocations,
    string? Message = null);
