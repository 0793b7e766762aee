using k8s.Models;

namespace TensorFusion.Pipelines.Allocation;

/// <summary>A worker pod waiting for GPUs, with when the pipeline first saw it (for the latency metric).</summary>
public sealed record PendingWorker(V1Pod Pod, string WorkerId, DateTimeOffset SeenAt);
