namespace TensorFusion.Gpu.Simulation;

/// <summary>TFLOPs and VRAM in bytes.</summary>
public sealed record ResourceRow(double Tflops, long Vram);
