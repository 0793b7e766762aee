using TensorFusion.Gpu.Plans;

namespace TensorFusion.Pipelines.Agents;

/// <summary>Where one node's agent stands: the newest plan sent, the newest it acknowledged, and the last answer.</summary>
public sealed record NodeAck(string Node, long PushedGeneration, long AcknowledgedGeneration, PlanApplyResult? LastResult, string? LastError, int FailedAttempts)
{
    public bool Converged => AcknowledgedGeneration >= PushedGeneration;
}
