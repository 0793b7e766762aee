namespace TensorFusion.Host.Simulate;

/// <summary>TFLOPs and VRAM in bytes.</summary>
public sealed record ResourceRow(double Tflops, long Vram);
