namespace TensorFusion.Gpu.Packing;

/// <summary>
/// <see cref="Count"/> identical items of size (<see cref="A"/>, <see cref="B"/>) in a two-dimensional bin packing whose
/// bins hold (capacityA, capacityB): TFLOPs and VRAM of one GPU, or compute and memory slices of one MIG GPU.
/// </summary>
public readonly record struct ItemType(long A, long B, int Count);
