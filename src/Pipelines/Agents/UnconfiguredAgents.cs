using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>The plan client of an operator given no agent access: every push stays unacknowledged and says why.</summary>
public sealed class UnconfiguredAgents : INodePlanClient
{
    public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Task.FromResult(PlanPushResult.Unreachable($"no agent access configured; plan for {plan.NodeName} not sent"));
    }
}
