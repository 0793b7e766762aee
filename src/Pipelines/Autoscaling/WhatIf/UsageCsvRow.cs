namespace TensorFusion.Pipelines.Autoscaling.WhatIf;

/// <summary>One row of a usage CSV: a worker's TFLOPs and VRAM bytes at a time.</summary>
public readonly record struct UsageCsvRow(int Line, DateTimeOffset Time, string Worker, double Tflops, double VramBytes);
