using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Tests.Allocation;

public sealed class PreemptionBudgetTests
{
    private const string Refusal = "The disruption budget batch-pdb needs 1 healthy pods and has 1 currently";

    [Fact]
    public async Task Submit_VictimProtectedByBudget_VictimKeptAndWinnerUnschedulableNamingTheBudget()
    {
        await using var harness = new PipelineHarness();
        await harness.StartAsync(PipelineHarness.Inventory(1, 1));
        await harness.SubmitAsync(WorkerPods.Pending("batch-0", 900, "70Gi", qos: "low"));
        await harness.FlushAsync();
        harness.Writer.ProtectedByBudget["team/batch-0"] = Refusal;

        await harness.SubmitAsync(WorkerPods.Pending("serve-0", 500, "40Gi", qos: "high"));
        var batch = await harness.FlushAsync();

        var outcome = Assert.Single(batch);
        Assert.Equal(DecisionKind.Unschedulable, outcome.Kind);
        Assert.Contains("batch-pdb", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("batch-pdb", harness.Writer.Unschedulable["team/serve-0"], StringComparison.Ordinal);
        var log = harness.Writer.Log.ToArray();
        Assert.Contains("evict team/batch-0 refused (dry run)", log);
        Assert.DoesNotContain("evict team/batch-0", log);
        Assert.DoesNotContain(log, entry => entry.StartsWith("bind team/serve-0", StringComparison.Ordinal));
        Assert.True(harness.Writer.Pods.ContainsKey("team/batch-0"));
        // The allocator's state still holds the victim (it keeps running), so the node's plan keeps it too.
        var placed = harness.Pipeline.Read(state => state.Allocations.Values.Select(allocation => allocation.Request.Worker).ToArray());
        Assert.Equal(["batch-0"], placed);
    }
}
