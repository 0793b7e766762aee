namespace TensorFusion.Gpu.Cluster;

/// <summary>A contradiction found while rebuilding state from recorded allocations (e.g. two workers on more than a GPU holds).</summary>
public sealed record AllocationConflict(string Gpu, IReadOnlyList<string> Workers, string Message);
