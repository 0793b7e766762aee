using TensorFusion.Api.Workloads;

namespace TensorFusion.Pipelines.Workloads;

/// <summary>Phase and Ready condition of a workload.</summary>
public sealed record Readiness(WorkloadPhase Phase, bool Ready, string Reason, string Message);
