namespace TensorFusion.Gpu.Catalog;

/// <summary>A MIG profile in the catalog JSON; memory is given in MiB as <c>nvidia-smi mig -lgip</c> prints it.</summary>
internal sealed record MigProfileEntry(
    string? Name,
    int Id,
    int ComputeSlices,
    int MemorySlices,
    double MemoryMiB,
    IReadOnlyList<int>? Starts,
    int MaxCount,
    bool? AutoSelectable);
