using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Gpu.Simulation;

/// <summary>A placed worker: node, GPUs, per-GPU TFLOPs and VRAM (bytes), and its MIG partition (or null).</summary>
public sealed record PlacementRow(string Workload, string Worker, string Node, IReadOnlyList<string> Gpus, double Tflops, long Vram, MigPlacement? Partition);
