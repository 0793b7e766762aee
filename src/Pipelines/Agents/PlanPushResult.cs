using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// The agent's answer to a push: its status (Applied, Noop, Refused or Failed, with per-worker states), or no answer
/// (unreachable, timed out, 5xx) with the error. Only an answer with Applied or Noop acknowledges the generation.
/// </summary>
public sealed record PlanPushResult(NodePlanStatus? Status, string? Error)
{
    public bool Acknowledged => Status is { Result: PlanApplyResult.Applied or PlanApplyResult.Noop };

    public static PlanPushResult Unreachable(string error) => new(null, error);
}
