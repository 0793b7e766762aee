namespace TensorFusion.Api.Workloads;

/// <summary>WorkloadProfile has no observed state; the empty status keeps the subresource shape upstream has.</summary>
public sealed class WorkloadProfileStatus;
