using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Scheduling;

/// <summary>The node a search picked and the GPUs (with shares) on it.</summary>
internal sealed record NodeChoice(NodeState Node, IReadOnlyList<GpuCandidate> Gpus);
