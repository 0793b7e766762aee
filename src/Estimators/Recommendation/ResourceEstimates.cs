namespace TensorFusion.Estimators.Recommendation;

/// <summary>The estimate ranges for compute and VRAM.</summary>
public readonly record struct ResourceEstimates(EstimateRange Tflops, EstimateRange Vram);
