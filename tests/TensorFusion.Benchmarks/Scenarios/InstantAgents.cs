using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Benchmarks.Scenarios;

/// <summary>Agents that acknowledge at once: the operator scenarios measure the operator and the control plane.</summary>
internal sealed class InstantAgents : INodePlanClient
{
    public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken) =>
        Task.FromResult(new PlanPushResult(new NodePlanStatus(plan.NodeName, plan.Generation, PlanApplyResult.Applied, []), null));
}
