namespace TensorFusion.Gpu.Scheduling;

/// <summary>The short phrases used in "0/1000 nodes fit: 640 insufficient VRAM, 352 model mismatch, 8 node affinity".</summary>
public static class FilterStageText
{
    public static string Describe(FilterStage stage, int gpuCount) => stage switch
    {
        FilterStage.IsolationMode => "isolation mode mismatch",
        FilterStage.Phase => "GPU not running",
        FilterStage.GpuIndex => "GPU index not requested",
        FilterStage.SharedWholeGpu => "no idle whole GPU",
        FilterStage.PartitionTemplate => "no free MIG partition",
        FilterStage.Vram => "insufficient VRAM",
        FilterStage.Tflops => "insufficient TFLOPs",
        FilterStage.VirtualCapacity => "limits exceed virtual capacity",
        FilterStage.GpuModel => "model mismatch",
        FilterStage.Vendor => "vendor mismatch",
        FilterStage.NodeAffinity => "node affinity",
        FilterStage.SameNode => $"fewer than {gpuCount} GPUs on the node",
        FilterStage.MaxWorkersPerNode => "too many workers on the node",
        _ => "fits",
    };
}
