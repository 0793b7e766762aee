namespace TensorFusion.Gpu.Plans;

/// <summary>
/// Everything the operator wants on one node: all allocations, stamped with a generation that only ever grows.
/// The agent applies it declaratively (diff against the device, then change only the difference).
/// </summary>
public sealed record NodePlan(string NodeName, long Generation, IReadOnlyList<PlannedAllocation> Allocations);
