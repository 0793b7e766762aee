namespace TensorFusion.Gpu.Plans;

/// <summary>A worker's share of one GPU: dense FP16 TFLOPs and VRAM bytes requested (soft) and limited (hard);
/// <see cref="Partition"/> is set for partitioned (MIG) isolation.</summary>
public sealed record PlannedDeviceShare(
    string GpuUuid,
    double TflopsRequest,
    double TflopsLimit,
    long VramRequestBytes,
    long VramLimitBytes,
    PlannedPartition? Partition = null);
