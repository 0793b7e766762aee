namespace TensorFusion.Gpu.Devices;

/// <summary>A GPU-instance profile: compute slices of 7, memory slices of 8, and the valid starts on the
/// memory-slice axis where an instance of it may be placed.</summary>
public sealed record MigProfile(
    string Name,
    int ProfileId,
    int ComputeSlices,
    int MemorySlices,
    int MaxCount,
    long MemoryBytes,
    int SmCount,
    IReadOnlyList<int> PlacementStarts);
