namespace TensorFusion.Estimators.Recommendation;

/// <summary>Lower bound, target and upper bound of one resource (TFLOPs, or bytes of VRAM), margin included.</summary>
public readonly record struct EstimateRange(double LowerBound, double Target, double UpperBound);
