namespace TensorFusion.Gpu.Cluster;

/// <summary>A MIG instance: its profile name and the first memory slice it occupies.</summary>
public sealed record MigPlacement(string Profile, int Start);
