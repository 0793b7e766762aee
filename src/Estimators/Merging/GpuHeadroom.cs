namespace TensorFusion.Estimators.Merging;

/// <summary>One GPU used by the workload's workers, as the scale-up cap sees it.</summary>
/// <param name="AvailableTflops">Unallocated TFLOPs on the GPU.</param>
/// <param name="AvailableVramBytes">Unallocated VRAM on the GPU.</param>
/// <param name="WorkloadRequestedTflops">Sum of this workload's TFLOPs requests on the GPU (freed if its workers resize).</param>
/// <param name="WorkloadRequestedVramBytes">Sum of this workload's VRAM requests on the GPU.</param>
/// <param name="WorkloadWorkers">How many of this workload's workers share the GPU (≥ 1).</param>
public sealed record GpuHeadroom(
    double AvailableTflops,
    double AvailableVramBytes,
    double WorkloadRequestedTflops,
    double WorkloadRequestedVramBytes,
    int WorkloadWorkers);
