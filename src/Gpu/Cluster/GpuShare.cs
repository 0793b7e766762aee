using TensorFusion.Gpu.Capacity;

namespace TensorFusion.Gpu.Cluster;

/// <summary>What one worker holds on one GPU: the request it consumes, the limit it may burst to, and its MIG instance if any.</summary>
public sealed record GpuShare(string Gpu, GpuResources Request, GpuResources Limit, MigPlacement? Partition);
