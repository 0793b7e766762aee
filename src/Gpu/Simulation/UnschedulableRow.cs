namespace TensorFusion.Gpu.Simulation;

/// <summary>A worker left without GPUs, and why.</summary>
public sealed record UnschedulableRow(string Workload, string Worker, string Reason);
