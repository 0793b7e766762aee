namespace TensorFusion.Gpu.Devices;

/// <summary>One accelerator as discovered on the node. <paramref name="MaxTflops"/> is 0 when the driver does not
/// know it (NVML); <paramref name="NumaNode"/> is -1 when unknown.</summary>
public sealed record DeviceInfo(
    string Uuid,
    string Model,
    int Index,
    int NumaNode,
    long MemoryTotalBytes,
    int SmCount,
    bool MigCapable,
    bool MigEnabled,
    DeviceHealth Health,
    double MaxTflops);
