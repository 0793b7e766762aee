using TensorFusion.Gpu.Cluster;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>One decision: a placement (with victims when it preempted) or the reason nothing fits.</summary>
public sealed record AllocationDecision(
    DecisionKind Kind,
    AllocationRequest Request,
    WorkerAllocation? Allocation,
    IReadOnlyList<WorkerAllocation> Victims,
    string? Reason)
{
    public static AllocationDecision Placed(WorkerAllocation allocation) =>
        new(DecisionKind.Place, allocation.Request, allocation, [], null);

    public static AllocationDecision Preempted(WorkerAllocation allocation, IReadOnlyList<WorkerAllocation> victims) =>
        new(DecisionKind.Preempt, allocation.Request, allocation, victims, null);

    public static AllocationDecision Unschedulable(AllocationRequest request, string reason) =>
        new(DecisionKind.Unschedulable, request, null, [], reason);
}
