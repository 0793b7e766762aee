using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>Port: pushes a node's plan to its agent. Never throws for network or HTTP errors; the result classifies them.</summary>
public interface INodePlanClient
{
    Task<PlanPushResult> PushAsync(NodePlan plan, CancellationToken cancellationToken);
}
