using System.Collections.Concurrent;
using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

/// <summary>
/// Agents that keep the agent's generation rule (docs/agent-protocol.md): a higher generation is accepted, the same one
/// with the same allocations is a noop, anything else is refused with the generation held, as the real agent's 409.
/// </summary>
internal sealed class GenerationKeepingAgent : INodePlanClient
{
    public ConcurrentDictionary<string, NodePlan> Held { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<NodePlan> Pushed { get; } = new();

    public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken)
    {
        Pushed.Enqueue(plan);
        var held = Held.GetValueOrDefault(plan.NodeName);
        var heldGeneration = held?.Generation ?? 0;
        if (plan.Generation < heldGeneration || plan.Generation == heldGeneration && !PlanContent.SameContent(plan, held!))
        {
            return Task.FromResult(new PlanPushResult(new NodePlanStatus(plan.NodeName, heldGeneration, PlanApplyResult.Refused, [],
                $"generation {plan.Generation} is older than the accepted generation {heldGeneration}"), null));
        }

        Held[plan.NodeName] = plan;
        return Task.FromResult(new PlanPushResult(new NodePlanStatus(plan.NodeName, plan.Generation,
            plan.Generation > heldGeneration ? PlanApplyResult.Applied : PlanApplyResult.Noop, []), null));
    }
}
