using System.Collections.Concurrent;
using TensorFusion.Gpu.Plans;
using TensorFusion.Pipelines.Agents;

namespace TensorFusion.Pipelines.Tests.Agents;

/// <summary>Agents that accept every plan (or are down), recording what each node received, in order.</summary>
internal sealed class FakeAgents : INodePlanClient
{
    public ConcurrentDictionary<string, ConcurrentQueue<NodePlan>> Received { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

    public int Attempts;

    public NodePlan? Latest(string node) => Received.TryGetValue(node, out var plans) ? plans.LastOrDefault() : null;

    public Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Attempts);
        if (Down.GetValueOrDefault(plan.NodeName))
        {
            return Task.FromResult(PlanPushResult.Unreachable($"agent {plan.NodeName}: connection refused"));
        }

        Received.GetOrAdd(plan.NodeName, _ => new ConcurrentQueue<NodePlan>()).Enqueue(plan);
        var status = new NodePlanStatus(plan.NodeName, plan.Generation, PlanApplyResult.Applied,
            [.. plan.Allocations.Select(a => new AllocationStatus(a.Namespace, a.Worker, AllocationState.Applied))]);
        return Task.FromResult(new PlanPushResult(status, null));
    }
}
