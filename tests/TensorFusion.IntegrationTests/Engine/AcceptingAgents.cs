using System.Collections.Concurrent;
using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.IntegrationTests.Engine;

/// <summary>Agents that apply every plan they are given, remembering the newest per node.</summary>
internal sealed class AcceptingAgents : INodePlanClient
{
    public ConcurrentDictionary<string, NodePlan> Latest { get; } = new(StringComparer.Ordinal);

    public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken)
    {
        Latest[plan.NodeName] = plan;
        return Task.FromResult(new PlanPushResult(new NodePlanStatus(plan.NodeName, plan.Generation, PlanApplyResult.Applied, []), null));
    }
}
