using TensorFusion.Gpu.Scheduling;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>What happened to one worker of a batch: the decision, where it went, and how persisting it went.</summary>
public sealed record WorkerOutcome(string WorkerId, DecisionKind Kind, string? Node, IReadOnlyList<string> Gpus, string? Reason, WriteOutcome Write);
