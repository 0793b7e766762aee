namespace TensorFusion.Gpu.Cluster;

/// <summary>A GPU node as inventoried: its pool, labels (for node affinity), GPUs and host memory/disk (for VRAM expansion).</summary>
public sealed record NodeSpec(
    string Name,
    string Pool,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<GpuSpec> Gpus,
    long HostMemoryBytes = 0,
    long HostDiskBytes = 0);
