namespace TensorFusion.Gpu.Catalog;

/// <summary>The MIG section of a catalog JSON entry.</summary>
internal sealed record MigGeometryEntry(int MemorySlices, int ComputeSlices, IReadOnlyList<MigProfileEntry>? Profiles);
