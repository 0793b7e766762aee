namespace TensorFusion.Pipelines.Workloads;

/// <summary>What scaling needs to know about one active worker pod.</summary>
public sealed record WorkerPodState(string Name, string? Uid, string? Hash, int? Index, bool Ready, DateTimeOffset Created);
