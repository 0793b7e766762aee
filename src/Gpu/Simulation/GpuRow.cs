namespace TensorFusion.Gpu.Simulation;

/// <summary>One GPU after the run: capacity, what placed workers request of it, and its MIG state when partitioned.</summary>
public sealed record GpuRow(string Name, string Node, string Model, ResourceRow Capacity, ResourceRow Allocated, MigRow? Mig);
