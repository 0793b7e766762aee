namespace TensorFusion.Gpu.Plans;

/// <summary>The observed state of one planned allocation.</summary>
public sealed record AllocationStatus(string Namespace, string Worker, AllocationState State, string? Reason = null);
