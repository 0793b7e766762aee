namespace TensorFusion.Gpu.Scheduling;

/// <summary>
/// The filters in upstream's order (<c>GpuAllocator.Filter</c>). A GPU is stopped by the first filter it fails; a node
/// is reported under the filter at which its surviving GPUs dropped below the requested count.
/// </summary>
public enum FilterStage
{
    IsolationMode,
    Phase,
    GpuIndex,
    SharedWholeGpu,
    PartitionTemplate,
    Vram,
    Tflops,
    VirtualCapacity,
    GpuModel,
    Vendor,
    NodeAffinity,
    SameNode,
    MaxWorkersPerNode,
    Passed,
}
