using TensorFusion.Gpu.Plans;
using TensorFusion.Gpu.Requests;

namespace TensorFusion.Gpu.Tests.Plans;

public sealed class NodePlanValidatorTests
{
    private static readonly PlannedDeviceShare Share = new("GPU-0", 10, 20, 1, 2);

    [Fact]
    public void Validate_GoodPlan_NoErrors() =>
        Assert.Empty(NodePlanValidator.Validate(
            new NodePlan("n1", 1, [new PlannedAllocation("ns", "wl", "w-0", IsolationMode.Soft, [Share])]), "n1"));

    [Fact]
    public void Validate_DuplicateWorkerAndGpu_NamesBoth()
    {
        var allocation = new PlannedAllocation("ns", "wl", "w", IsolationMode.Hard, [Share, Share]);

        var errors = NodePlanValidator.Validate(new NodePlan("n1", 1, [allocation, allocation]), "n1");

        Assert.Contains("allocations[0].devices[1].gpuUuid: GPU-0 listed twice", errors);
        Assert.Contains("allocations[1]: worker ns/w appears twice", errors);
    }

    [Fact]
    public void Validate_NullsAndBadNumbers_ReportedNotThrown()
    {
        var bad = new PlannedAllocation("ns", "wl", "w", (IsolationMode)9, [new PlannedDeviceShare("", -1, 0, -5, 0)]);

        var errors = NodePlanValidator.Validate(new NodePlan("n2", 0, [bad, null!]), "n1");

        Assert.Contains(errors, e => e.StartsWith("nodeName:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("generation:", StringComparison.Ordinal));
        Assert.Contains("allocations[0].isolation: unknown value 9", errors);
        Assert.Contains("allocations[0].devices[0].gpuUuid: required", errors);
        Assert.Contains("allocations[1]: null", errors);
        Assert.Equal(["plan: missing body"], NodePlanValidator.Validate(null, "n1"));
    }
}
