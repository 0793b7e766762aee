namespace TensorFusion.Gpu.Plans;

/// <summary>Structural equality of plans (records compare lists by reference, plans must compare by content).</summary>
public static class PlanContent
{
    public static bool SameContent(NodePlan a, NodePlan b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.NodeName == b.NodeName && a.Generation == b.Generation &&
               a.Allocations.Count == b.Allocations.Count &&
               a.Allocations.Zip(b.Allocations).All(pair => SameAllocation(pair.First, pair.Second));
    }

    private static bool SameAllocation(PlannedAllocation a, PlannedAllocation b) =>
        a.Namespace == b.Namespace && a.Workload == b.Workload && a.Worker == b.Worker && a.Isolation == b.Isolation &&
        a.Devices.SequenceEqual(b.Devices);
}
