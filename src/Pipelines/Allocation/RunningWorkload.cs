namespace TensorFusion.Pipelines.Allocation;

/// <summary>A workload with <see cref="Workers"/> workers on a GPU (GPU status runningApps).</summary>
public sealed record RunningWorkload(string Namespace, string Name, int Workers);
